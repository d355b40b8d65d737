import { stringify } from 'yaml';

// Generated blueprints for the factory rows: `modules` modules in a chain. Module i depends on
// module i-1 and consumes the event it emits (module 0 consumes the last one's, so every consumed
// event has an emitter and dependsOn stays acyclic). Every fourth module is a queue worker without
// an API; the others are HTTP microservices. Each module has two entities (one refers to the other
// through an array of refs) whose fields cover the scalar types, enums and optional fields.

const pad = (i: number) => String(i + 1).padStart(2, '0');

function moduleAt(i: number, modules: number): Record<string, unknown> {
  const n = pad(i);
  const worker = i % 4 === 3;
  const previous = (i + modules - 1) % modules;
  return {
    name: `Module${n}Service`,
    kind: worker ? 'worker' : 'microservice',
    description: `Generated module ${n} of ${modules}.`,
    entities: [
      {
        name: `Record${n}`,
        fields: {
          title: 'string',
          body: 'text?',
          ownerEmail: 'email',
          homepage: 'url?',
          quantity: 'integer',
          price: 'number',
          active: 'boolean',
          dueOn: 'date',
          startsAt: 'datetime',
          externalId: 'uuid',
          status: { enum: ['draft', 'open', 'closed'] },
          tags: { array: 'string', optional: true },
          lines: { array: { ref: `Line${n}` } },
        },
      },
      { name: `Line${n}`, fields: { description: 'string', amount: 'number', position: 'integer' } },
    ],
    ...(worker ? {} : { api: { routePrefix: `/module-${n}`, versions: ['v1'] } }),
    events: { emits: [`Module${n}Changed.v1`], consumes: modules > 1 ? [`Module${pad(previous)}Changed.v1`] : [] },
    ...(i > 0 ? { dependsOn: [`Module${pad(i - 1)}Service`] } : {}),
    scaling: worker
      ? { minReplicas: 0, maxReplicas: 5, triggers: [{ type: 'queue', threshold: 50 }] }
      : { minReplicas: 1, maxReplicas: 6, triggers: [{ type: 'cpu', threshold: 70 }] },
    resilience: { retries: { maxAttempts: 3 }, ...(worker ? {} : { circuitBreaker: { threshold: 3, resetAfterSeconds: 30 } }) },
    infrastructure: { database: 'cosmos', queue: 'azure-service-bus' },
  };
}

/** The YAML text of a valid blueprint with `modules` modules; `variant` only changes metadata.description. */
export function generatedBlueprint(modules: number, variant = 0): string {
  const document = {
    apiVersion: 'factory/v1',
    kind: 'Blueprint',
    metadata: { name: `generated-${modules}`, description: `A generated blueprint with ${modules} modules (variant ${variant}).` },
    spec: {
      edition: 'pro',
      environments: ['dev', 'staging', 'production'],
      modules: Array.from({ length: modules }, (_, i) => moduleAt(i, modules)),
      release: { approvals: { production: ['ReleaseManager'] } },
      cost: { monthlyBudgetUsd: 1000 },
    },
  };
  return stringify(document);
}
