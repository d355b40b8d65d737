import { parse } from 'yaml';
import { parseBlueprint, validateBlueprint, withImplicitFields } from '../../shared/blueprints';
import { BROKEN_EXAMPLE_PROBLEMS, documentWith, exampleText, pathsAndCodes, problemsOf, validBlueprint } from './support';

/** SPEC §8 exactly as printed: a fragment that names a module and an event source it leaves out. */
const SPEC_EXAMPLE = `apiVersion: factory/v1
kind: Blueprint
metadata: { name: vetclinic }
spec:
  edition: pro
  environments: [dev, staging, production]
  modules:
    - name: BookingService
      kind: microservice            # microservice | function | worker | gateway
      entities:
        - name: Appointment
          fields: { petName: string, startsAt: datetime, status: { enum: [booked, cancelled] } }
      api: { routePrefix: /booking, versions: [v1] }
      events: { emits: [AppointmentBooked.v1], consumes: [PaymentReceived.v2] }
      dependsOn: [NotificationService]
      scaling: { minReplicas: 1, maxReplicas: 10, triggers: [{ type: cpu, threshold: 75 }] }
      resilience: { retries: { maxAttempts: 5 }, circuitBreaker: { threshold: 3, resetAfterSeconds: 60 } }
      infrastructure: { database: cosmos, queue: azure-service-bus }
  release: { approvals: { production: [ReleaseManager] } }
  cost: { monthlyBudgetUsd: 500 }
`;

describe('parseBlueprint', () => {
  it('accepts the completed SPEC example, with BookingService exactly as the SPEC prints it', () => {
    const result = parseBlueprint(exampleText('vetclinic.yaml'));
    expect(result).toMatchObject({ ok: true, format: 'yaml', contentHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    if (!result.ok) return;
    expect(result.blueprint.spec.edition).toBe('pro');
    expect(result.blueprint.spec.modules.map((module) => module.name)).toEqual(['BookingService', 'NotificationService', 'PaymentService']);

    const specBooking = (parse(SPEC_EXAMPLE) as { spec: { modules: object[] } }).spec.modules[0];
    const withSpecBooking = validateBlueprint(documentWith([specBooking, { name: 'NotificationService', kind: 'worker', events: { emits: ['PaymentReceived.v2'] } }]));
    expect(withSpecBooking.ok && withSpecBooking.blueprint.spec.modules[0]).toEqual(result.blueprint.spec.modules[0]);
  });

  it('reports only what the SPEC fragment leaves out: the missing module and the missing event source', () => {
    expect(problemsOf(SPEC_EXAMPLE)).toEqual([
      { path: 'spec.modules[0].dependsOn[0]', code: 'UnknownDependency', message: "BookingService depends on 'NotificationService', which is not a module of this blueprint." },
      {
        path: 'spec.modules[0].events.consumes[0]',
        code: 'UnemittedEvent',
        message: "BookingService consumes 'PaymentReceived.v2', which no module emits; emit it from a module or list it in events.external.",
      },
    ]);
  });

  it('normalizes field types and fills omitted lists', () => {
    const blueprint = validBlueprint(exampleText('vetclinic.yaml'));
    const [booking, notification, payment] = blueprint.spec.modules;
    expect(booking.entities[0].fields).toEqual({
      petName: { kind: 'scalar', name: 'string', optional: false },
      startsAt: { kind: 'scalar', name: 'datetime', optional: false },
      status: { kind: 'enum', values: ['booked', 'cancelled'], optional: false },
    });
    expect(notification.entities[0].fields.sentAt).toEqual({ kind: 'scalar', name: 'datetime', optional: true });
    expect(payment.entities[0].fields.lines).toEqual({ kind: 'array', of: { kind: 'ref', entity: 'InvoiceLine', optional: false }, optional: false });
    expect(notification.dependsOn).toEqual([]);
    expect(notification.events.external).toEqual([]);
    expect(notification.api).toBeUndefined();
    expect(Object.keys(withImplicitFields(booking.entities[0].fields))).toEqual(['id', 'createdAt', 'updatedAt', 'petName', 'startsAt', 'status']);
  });

  it('reports every problem of broken.yaml with its exact path in one pass', () => {
    expect(pathsAndCodes(problemsOf(exampleText('broken.yaml')))).toEqual(BROKEN_EXAMPLE_PROBLEMS);
  });

  it('names a dependency cycle A → B → C → A at the entry that starts it', () => {
    const problems = validateBlueprint(
      documentWith([
        { name: 'A', kind: 'microservice', dependsOn: ['B'] },
        { name: 'B', kind: 'microservice', dependsOn: ['C'] },
        { name: 'C', kind: 'microservice', dependsOn: ['A'] },
        { name: 'D', kind: 'worker', dependsOn: ['D', 'A'] },
      ]),
    );
    expect(problems).toEqual({
      ok: false,
      problems: [
        { path: 'spec.modules[0].dependsOn[0]', code: 'DependencyCycle', message: 'Dependency cycle: A → B → C → A.' },
        { path: 'spec.modules[3].dependsOn[0]', code: 'DependencyCycle', message: 'Dependency cycle: D → D.' },
      ],
    });
  });

  it('reports duplicate keys in YAML and in JSON at their path, with lines', () => {
    const yaml = problemsOf('apiVersion: factory/v1\nkind: Blueprint\nkind: Blueprint\nmetadata: { name: x }\nspec: { environments: [dev], modules: [{ name: A, kind: worker }] }\n');
    expect(yaml).toEqual([{ path: 'kind', code: 'DuplicateKey', message: "Key 'kind' appears again at line 3, column 1 (first at line 2, column 1); keys must be unique." }]);

    const json = JSON.stringify(documentWith([{ name: 'A', kind: 'worker', entities: [{ name: 'Pet', fields: { name: 'string' } }] }])).replace(
      '"name":"string"',
      '"name":"string","name":"text"',
    );
    expect(pathsAndCodes(problemsOf(json))).toEqual([['spec.modules[0].entities[0].fields.name', 'DuplicateKey']]);
  });

  it('reports YAML and JSON syntax errors with line and column and an empty path', () => {
    expect(problemsOf('apiVersion: factory/v1\nspec:\n  modules: [a, b\n  environments: [dev]\n')).toEqual([
      { path: '', code: 'YamlSyntax', message: 'Flow sequence in block collection must be sufficiently indented and end with a ] at line 4, column 3.' },
    ]);
    expect(problemsOf('kind: Blueprint\nmetadata: { name: *missing }\n')).toEqual([
      { path: '', code: 'YamlSyntax', message: expect.stringContaining('Unresolved alias') },
    ]);
    expect(problemsOf('')).toEqual([{ path: '', code: 'Required', message: 'The blueprint is empty.' }]);

    expect(problemsOf('{\n  "apiVersion": "factory/v1",\n  "kind" "Blueprint"\n}', 'application/json')).toEqual([
      { path: '', code: 'JsonSyntax', message: expect.stringMatching(/^Invalid JSON: .* at line 3, column 10\.$/) },
    ]);
  });

  it('detects the format from the content type or the text', () => {
    const document = documentWith([{ name: 'A', kind: 'worker' }]);
    expect(parseBlueprint(JSON.stringify(document))).toMatchObject({ ok: true, format: 'json' });
    expect(parseBlueprint(JSON.stringify(document), 'application/yaml; charset=utf-8')).toMatchObject({ ok: true, format: 'yaml' });
    const flowYaml = '{ apiVersion: factory/v1, kind: Blueprint, metadata: { name: x }, spec: { environments: [dev], modules: [{ name: A, kind: worker }] } }';
    expect(parseBlueprint(flowYaml)).toMatchObject({ ok: true, format: 'yaml' });
    expect(problemsOf(flowYaml, 'application/json')[0].code).toBe('JsonSyntax');
  });

  it('reports unknown fields, missing required fields and wrong types by path', () => {
    const document = documentWith([{ name: 'A', kind: 'worker', colour: 'blue', scaling: { minReplicas: '1', maxReplicas: 2 } }]);
    delete (document.metadata as Record<string, unknown>).name;
    expect(validateBlueprint(document)).toEqual({
      ok: false,
      problems: [
        { path: 'metadata.name', code: 'Required', message: "'name' is required." },
        { path: 'spec.modules[0].colour', code: 'UnknownField', message: "Unknown field 'colour'." },
        { path: 'spec.modules[0].scaling.minReplicas', code: 'InvalidType', message: "Expected a number, got '1'." },
      ],
    });
  });

  it('checks names: PascalCase modules and entities, camelCase fields, versioned events', () => {
    const problems = validateBlueprint(
      documentWith([
        { name: 'booking', kind: 'worker', entities: [{ name: 'pet', fields: { Name: 'string' } }], events: { emits: ['pet-created.v1'], consumes: ['PetCreated'] } },
      ]),
    );
    expect(problems.ok || pathsAndCodes(problems.problems)).toEqual([
      ['spec.modules[0].entities[0].fields.Name', 'InvalidName'],
      ['spec.modules[0].entities[0].name', 'InvalidName'],
      ['spec.modules[0].events.consumes[0]', 'EventVersionMissing'],
      ['spec.modules[0].events.emits[0]', 'InvalidName'],
      ['spec.modules[0].name', 'InvalidName'],
    ]);
  });

  it('accepts consumed events declared external at module or spec level', () => {
    const modules = [
      { name: 'Booking', kind: 'worker', events: { consumes: ['PaymentReceived.v2'], external: ['PaymentReceived.v2'] } },
      { name: 'Audit', kind: 'worker', events: { consumes: ['PaymentReceived.v2', 'UserSignedUp.v1'] } },
    ];
    const withoutSpecExternals = validateBlueprint(documentWith(modules));
    expect(withoutSpecExternals.ok || pathsAndCodes(withoutSpecExternals.problems)).toEqual([
      ['spec.modules[1].events.consumes[0]', 'UnemittedEvent'],
      ['spec.modules[1].events.consumes[1]', 'UnemittedEvent'],
    ]);
    expect(validateBlueprint(documentWith(modules, { events: { external: ['PaymentReceived.v2', 'UserSignedUp.v1'] } })).ok).toBe(true);
  });

  it('reads every kind of field type and rejects unknown ones at the field path', () => {
    const fields = {
      a: 'string?',
      b: { enum: ['x', 'y'], optional: true },
      c: { array: { array: 'integer' } },
      d: { ref: 'Pet', optional: true },
      e: 'int',
      f: { array: 'string?' },
      g: { enum: ['x', 'x'] },
      h: { ref: 'Pet', array: 'string' },
      i: { ref: 'Pet', nullable: true },
      j: 42,
    };
    const result = validateBlueprint(documentWith([{ name: 'A', kind: 'worker', entities: [{ name: 'Pet', fields }] }]));
    expect(result.ok || pathsAndCodes(result.problems)).toEqual([
      ['spec.modules[0].entities[0].fields.e', 'UnknownFieldType'],
      ['spec.modules[0].entities[0].fields.f.array', 'UnknownFieldType'],
      ['spec.modules[0].entities[0].fields.g.enum[1]', 'DuplicateEnumValue'],
      ['spec.modules[0].entities[0].fields.h', 'UnknownFieldType'],
      ['spec.modules[0].entities[0].fields.i.nullable', 'UnknownField'],
      ['spec.modules[0].entities[0].fields.j', 'UnknownFieldType'],
    ]);
    const valid = validBlueprint(JSON.stringify(documentWith([{ name: 'A', kind: 'worker', entities: [{ name: 'Pet', fields: { a: fields.a, b: fields.b, c: fields.c, d: fields.d } }] }])));
    expect(valid.spec.modules[0].entities[0].fields).toEqual({
      a: { kind: 'scalar', name: 'string', optional: true },
      b: { kind: 'enum', values: ['x', 'y'], optional: true },
      c: { kind: 'array', of: { kind: 'array', of: { kind: 'scalar', name: 'integer', optional: false }, optional: false }, optional: false },
      d: { kind: 'ref', entity: 'Pet', optional: true },
    });
  });

  it('validates a generated blueprint of 50 modules', () => {
    const modules = Array.from({ length: 50 }, (_, i) => ({
      name: `Service${i}`,
      kind: 'microservice',
      entities: [{ name: `Item${i}`, fields: { title: 'string', count: 'integer?', tags: { array: 'string' } } }],
      api: { routePrefix: `/service-${i}`, versions: ['v1'] },
      events: { emits: [`Item${i}Changed.v1`], consumes: i > 0 ? [`Item${i - 1}Changed.v1`] : [] },
      dependsOn: i > 0 ? [`Service${i - 1}`] : [],
      scaling: { minReplicas: 1, maxReplicas: 3, triggers: [{ type: 'cpu', threshold: 70 }] },
    }));
    const result = parseBlueprint(JSON.stringify(documentWith(modules)));
    expect(result.ok && result.blueprint.spec.modules).toHaveLength(50);
  });
});

describe('blueprint editions', () => {
  it("use the tenancy's words: free, pro, enterprise", () => {
    for (const edition of ['free', 'pro', 'enterprise']) {
      const result = parseBlueprint(exampleText('vetclinic.yaml').replace('edition: pro', `edition: ${edition}`));
      expect(result.ok && result.blueprint.spec.edition).toBe(edition);
    }
    const old = parseBlueprint(exampleText('vetclinic.yaml').replace('edition: pro', 'edition: premium'));
    expect(old.ok).toBe(false);
    expect(old.ok ? [] : old.problems.map((p) => p.path)).toContain('spec.edition');
  });
});
