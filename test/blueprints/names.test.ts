import { validateBlueprint, type Problem } from '../../shared/blueprints';
import { documentWith } from './support';

function problemsOf(document: unknown): Problem[] {
  const result = validateBlueprint(document);
  if (result.ok) throw new Error('expected problems, the blueprint is valid');
  return result.problems;
}

function expectValid(document: unknown) {
  const result = validateBlueprint(document);
  if (!result.ok) throw new Error(`expected a valid blueprint, got ${JSON.stringify(result.problems, null, 2)}`);
  return result.blueprint;
}

const worker = (name: string, extra: object = {}) => ({ name, kind: 'worker', ...extra });
const entity = (name: string, fields: object = { title: 'string' }) => ({ name, fields });

describe('blueprint name rules', () => {
  it('refuses modules that become the same folder and Kubernetes name (OrderService and ORDERService)', () => {
    expect(problemsOf(documentWith([worker('OrderService'), worker('ORDERService')]))).toEqual([
      { path: 'spec.modules[1].name', code: 'NameCollision', message: expect.stringMatching(/^Module 'ORDERService' collides with 'OrderService' at spec\.modules\[0\]\.name: both become 'order-service'/) },
    ]);
  });

  it('refuses entities that differ only in case (Item and ITEM)', () => {
    expect(problemsOf(documentWith([worker('Catalog', { entities: [entity('Item'), entity('ITEM')] })]))).toEqual([
      { path: 'spec.modules[0].entities[1].name', code: 'NameCollision', message: expect.stringContaining("'ITEM' collides with 'Item'") },
    ]);
  });

  it("refuses entities that overwrite the contract's schemas: Problem, and OrderInput or OrderPage beside Order", () => {
    const problems = problemsOf(documentWith([worker('Shop', { entities: [entity('Order'), entity('OrderInput'), entity('OrderPage'), entity('Problem')] })]));
    expect(problems.map(({ path, code }) => [path, code])).toEqual([
      ['spec.modules[0].entities[1].name', 'NameCollision'],
      ['spec.modules[0].entities[2].name', 'NameCollision'],
      ['spec.modules[0].entities[3].name', 'ReservedName'],
    ]);
    expect(problems[0].message).toContain('OpenAPI schemas');
    expect(expectValid(documentWith([worker('Shop', { entities: [entity('OrderPage')] })])).spec.modules[0].entities[0].name).toBe('OrderPage');
  });

  it('refuses entities whose plural collections meet (Bus and Buse both serve /buses)', () => {
    expect(problemsOf(documentWith([worker('Fleet', { entities: [entity('Bus'), entity('Buse')] })]))).toEqual([
      { path: 'spec.modules[0].entities[1].name', code: 'NameCollision', message: expect.stringContaining("both become 'buses' in the route and Cosmos container") },
    ]);
  });

  it('refuses entity names the generated code declares or uses (EntityRecord, Omit, Promise)', () => {
    const problems = problemsOf(documentWith([worker('Odd', { entities: [entity('EntityRecord'), entity('Omit'), entity('Promise')] })]));
    expect(problems.map(({ path, code }) => [path, code])).toEqual([0, 1, 2].map((index) => [`spec.modules[0].entities[${index}].name`, 'ReservedName']));
  });

  it('refuses a 123-character and a 63-character module name, naming the Kubernetes limit', () => {
    for (const length of [123, 63]) {
      const name = `M${'x'.repeat(length - 1)}`;
      const [problem, ...rest] = problemsOf(documentWith([worker(name)]));
      expect(rest).toEqual([]);
      expect(problem).toMatchObject({ path: 'spec.modules[0].name', code: 'NameTooLong' });
      expect(problem.message).toContain(`gives ${length + '-environment'.length}-character Kubernetes names`);
      expect(problem.message).toContain('the limit is 63');
    }
  });

  it('refuses module names that the 32-character Container App cut makes equal, or ends in a hyphen', () => {
    const problems = problemsOf(documentWith([worker('CustomerOnboardingServiceAlphaOne'), worker('CustomerOnboardingServiceAlphaTwo')]));
    expect(problems).toEqual([{ path: 'spec.modules[1].name', code: 'NameCollision', message: expect.stringContaining("same Container App name 'customer-onboarding-service-") }]);
    const hyphen = problemsOf(documentWith([worker('CustomerOnboardingServiceAbc')], { environments: ['production'] }));
    expect(hyphen).toEqual([{ path: 'spec.modules[0].name', code: 'NameTooLong', message: expect.stringContaining("which ends in '-'") }]);
  });

  it('refuses a blueprint name too long for the default Service Bus namespace when a module uses Service Bus', () => {
    const name = 'a-very-long-blueprint-name';
    const events = { events: { emits: ['ThingHappened.v1'] } };
    const problems = problemsOf({ ...documentWith([worker('Things', events)]), metadata: { name } });
    expect(problems).toEqual([{ path: 'metadata.name', code: 'NameTooLong', message: expect.stringContaining('Service Bus namespace names; the limit is 50') }]);
    expectValid({ ...documentWith([worker('Things')]), metadata: { name } });
  });

  it('refuses events that share a topic after kebab-casing (OrderPlaced.v1 and ORDERPlaced.v1)', () => {
    const problems = problemsOf(documentWith([worker('A', { events: { emits: ['OrderPlaced.v1'] } }), worker('B', { events: { emits: ['ORDERPlaced.v1'] } })]));
    expect(problems).toEqual([{ path: 'spec.modules[1].events.emits[0]', code: 'NameCollision', message: expect.stringContaining("'order-placed-v1'") }]);
  });

  it('rejects constructor, toString, __proto__, then and reserved words as field names, saying why (not "implicit")', () => {
    const fields = Object.fromEntries(['constructor', 'toString', '__proto__', 'then', 'class', 'delete'].map((name) => [name, 'string']));
    const problems = problemsOf(documentWith([worker('Odd', { entities: [entity('Thing', fields)] })]));
    const reserved = problems.filter((problem) => problem.code === 'ReservedField');
    expect(reserved.map((problem) => problem.path).sort()).toEqual(['__proto__', 'class', 'constructor', 'delete', 'then', 'toString'].map((name) => `spec.modules[0].entities[0].fields.${name}`).sort());
    for (const problem of reserved) expect(problem.message).not.toMatch(/implicit/);
    expect(reserved.find((problem) => problem.path.endsWith('.constructor'))!.message).toContain('Object.prototype');
    expect(reserved.find((problem) => problem.path.endsWith('.class'))!.message).toContain('reserved word');
    expect(problemsOf(documentWith([worker('Odd', { entities: [entity('Thing', { id: 'string' })] })]))[0].message).toMatch(/is implicit/);
  });

  it('refuses fields that meet in case-insensitive stores, implicit ones included', () => {
    const problems = problemsOf(documentWith([worker('Odd', { entities: [entity('Thing', { startsAt: 'datetime', startsat: 'datetime', createdat: 'datetime' })] })]));
    expect(problems.map(({ path, code }) => [path, code])).toEqual([
      ['spec.modules[0].entities[0].fields.createdat', 'NameCollision'],
      ['spec.modules[0].entities[0].fields.startsat', 'NameCollision'],
    ]);
  });

  it('limits field names to 63 characters on PostgreSQL', () => {
    const field = `f${'x'.repeat(63)}`;
    const document = (database: string) => documentWith([worker('Ledger', { infrastructure: { database }, entities: [entity('Entry', { [field]: 'string' })] })]);
    expect(problemsOf(document('postgresql'))).toEqual([{ path: `spec.modules[0].entities[0].fields.${field}`, code: 'NameTooLong', message: expect.stringContaining('postgresql column names; the limit is 63') }]);
    expectValid(document('cosmos'));
  });

  it('refuses module names that generate into the repository’s own folders', () => {
    expect(problemsOf(documentWith([worker('Docs')]))).toEqual([{ path: 'spec.modules[0].name', code: 'ReservedName', message: expect.stringContaining("'docs/'") }]);
  });
});
