import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseBlueprint, type Blueprint } from '../../shared/blueprints';
import { generateService } from '../../shared/skills/service';
import { generateTests } from '../../shared/skills/tests';
import type { SkillArtifact } from '../../shared/skills/types';
import { validateService, type ValidationReport } from '../../shared/skills/validate';

const source = path.resolve(__dirname, '../../..');

// Each validation compiles a service, runs its tests and starts it: generous on a loaded machine.
jest.setTimeout(600_000);

function blueprintAt(file: string): Blueprint {
  const result = parseBlueprint(readFileSync(path.join(source, file), 'utf8'));
  if (!result.ok) throw new Error(`${file} is invalid: ${JSON.stringify(result.problems)}`);
  return result.blueprint;
}

function generated(blueprint: Blueprint, module: string): SkillArtifact[] {
  const service = generateService({ blueprint, module, artifacts: [] }).artifacts;
  return [...service, ...generateTests({ blueprint, module, artifacts: service }).artifacts];
}

async function validate(blueprint: Blueprint, module: string, artifacts: SkillArtifact[], options?: Record<string, unknown>) {
  const result = await validateService({ blueprint, module, artifacts, options });
  expect(result.artifacts).toHaveLength(1);
  expect(result.artifacts[0]).toMatchObject({ kind: 'validation-report', module, contentType: 'application/json' });
  return { report: JSON.parse(result.artifacts[0].content) as ValidationReport, checks: result.checks, content: result.artifacts[0].content };
}

function replaceIn(artifacts: SkillArtifact[], name: string, edit: (content: string) => string): SkillArtifact[] {
  expect(artifacts.some((artifact) => artifact.name === name)).toBe(true);
  return artifacts.map((artifact) => (artifact.name === name ? { ...artifact, content: edit(artifact.content) } : artifact));
}

describe('ValidateService on generated services', () => {
  it.each([
    ['the SPEC §8 blueprint', 'shared/blueprints/examples/vetclinic.yaml'],
    ['three services and a worker exchanging events', 'shared/blueprints/examples/library.yaml'],
  ])('type-checks every module of %s and passes its generated tests', async (_label, file) => {
    const blueprint = blueprintAt(file);
    const outcomes = await Promise.all(blueprint.spec.modules.map((module) => validate(blueprint, module.name, generated(blueprint, module.name))));
    for (const [index, { report, checks }] of outcomes.entries()) {
      const failures = report.tests.results.filter((result) => result.status !== 'passed');
      expect({ module: blueprint.spec.modules[index].name, diagnostics: report.typecheck.diagnostics, failures, error: report.tests.error }).toEqual({
        module: blueprint.spec.modules[index].name,
        diagnostics: [],
        failures: [],
        error: undefined,
      });
      expect(report.status).toBe('passed');
      expect(report.tests).toMatchObject({ ran: true, timedOut: false, failed: 0 });
      expect(report.tests.passed).toBeGreaterThan(3);
      expect(checks.map((check) => [check.name, check.ok])).toEqual([
        ['typecheck', true],
        ['tests', true],
        ['contract', true],
      ]);
      expect(report.contract?.operations.every((check) => check.problems.length === 0)).toBe(true);
      expect(report.contract?.operations.length).toBeGreaterThanOrEqual(2);
    }
  });
});

describe('ValidateService on broken services', () => {
  const blueprint = blueprintAt('shared/blueprints/examples/vetclinic.yaml');
  const artifacts = generated(blueprint, 'BookingService');

  it('fails a type error naming its file and line, without running the tests; the report is deterministic', async () => {
    const broken = replaceIn(artifacts, 'booking-service/src/http/health.ts', (content) => {
      const lines = content.split('\n');
      lines.splice(2, 0, "const x: number = 'a';");
      return lines.join('\n');
    });
    const first = await validate(blueprint, 'BookingService', broken);
    expect(first.report.status).toBe('failed');
    expect(first.report.typecheck.diagnostics).toEqual([
      { file: 'src/http/health.ts', line: 3, column: 7, code: 2322, message: "Type 'string' is not assignable to type 'number'." },
    ]);
    expect(first.report.tests.ran).toBe(false);
    expect(first.checks[0]).toMatchObject({ name: 'typecheck', ok: false, detail: expect.stringContaining('src/http/health.ts:3:7') });
    expect(first.checks[1]).toMatchObject({ name: 'tests', ok: false });
    expect((await validate(blueprint, 'BookingService', broken)).content).toBe(first.content);
  });

  it('reports a failing generated test by name with the file and line of its assertion', async () => {
    const assertion = "assert.equal((await test.service.app.inject({ method: 'GET', url: '/health/live' })).statusCode, 200);";
    const failing = replaceIn(artifacts, 'booking-service/test/operations.test.ts', (content) => content.replace(assertion, assertion.replace('200', "200, 'broken'").replace('statusCode, 200', 'statusCode, 418')));
    const content = failing.find((artifact) => artifact.name === 'booking-service/test/operations.test.ts')!.content;
    const line = content.split('\n').findIndex((text) => text.includes("'broken'")) + 1;
    const { report, checks } = await validate(blueprint, 'BookingService', failing);
    expect(report.status).toBe('failed');
    expect(report.typecheck.diagnostics).toEqual([]);
    expect(report.tests.failed).toBe(1);
    expect(report.tests.passed).toBeGreaterThan(3);
    expect(report.tests.results.filter((result) => result.status === 'failed')).toEqual([
      { name: 'operations > answers liveness and readiness', status: 'failed', file: 'test/operations.test.ts', line, column: expect.any(Number), message: expect.stringContaining('broken') },
    ]);
    expect(checks[1]).toMatchObject({ name: 'tests', ok: false, detail: expect.stringContaining(`test/operations.test.ts:${line}`) });
  });

  it('fails the contract check when the running service answers outside its contract, naming the operation', async () => {
    const broken = replaceIn(artifacts, 'booking-service/src/http/health.ts', (content) => content.replace("app.get('/health/live', async () => ({ status: 'ok' }));", "app.get('/health/live', async () => ({ status: 'fine' }));"));
    const { report, checks } = await validate(blueprint, 'BookingService', broken);
    expect(report.status).toBe('failed');
    expect(report.tests.failed).toBe(0);
    expect(checks.find((check) => check.name === 'contract')).toMatchObject({ ok: false, detail: expect.stringContaining('GET /health/live: response body') });
  });

  it('fails the contract check when a published event does not match its schema, naming the operation and the event', async () => {
    const broken = replaceIn(artifacts, 'booking-service/src/events/publisher.ts', (content) => content.replace('body: event,', 'body: { ...event, data: { id: 42 } },'));
    const { report, checks } = await validate(blueprint, 'BookingService', broken);
    expect(report.status).toBe('failed');
    expect(report.tests.failed).toBe(0);
    expect(report.contract?.events.some((check) => check.operation === 'POST /booking/v1/appointments' && check.problems.length > 0)).toBe(true);
    expect(checks.find((check) => check.name === 'contract')).toMatchObject({ ok: false, detail: expect.stringContaining('POST /booking/v1/appointments → AppointmentBooked') });
  });

  it('fails a service that exits non-zero on SIGTERM', async () => {
    const broken = replaceIn(artifacts, 'booking-service/src/main.ts', (content) => content.replace('() => process.exit(0),', '() => process.exit(3),'));
    const { report, checks } = await validate(blueprint, 'BookingService', broken);
    expect(report.status).toBe('failed');
    expect(report.tests.failed).toBe(0);
    expect(report.contract?.error).toContain('on SIGTERM the service exited with 3, not 0');
    expect(checks.find((check) => check.name === 'contract')).toMatchObject({ ok: false });
  });

  it('fails a test file that throws while loading, and still runs the other files', async () => {
    const throwing = [...artifacts, { ...artifacts.find((artifact) => artifact.name === 'booking-service/test/operations.test.ts')!, name: 'booking-service/test/boom.test.ts', content: "export {};\nthrow new Error('broken at load');\n" }];
    const { report, checks } = await validate(blueprint, 'BookingService', throwing);
    expect(report.status).toBe('failed');
    expect(report.contract).toBeUndefined();
    expect(report.tests.failed).toBe(1);
    expect(report.tests.passed).toBeGreaterThan(3);
    expect(report.tests.results.find((result) => result.status === 'failed')).toMatchObject({ message: expect.stringContaining('broken at load') });
    expect(checks[1]).toMatchObject({ name: 'tests', ok: false });
  });

  it('kills tests that outlive the time limit', async () => {
    const hanging = replaceIn(artifacts, 'booking-service/test/operations.test.ts', () => "import { it } from 'node:test';\n\nit('never ends', () => new Promise<void>(() => setInterval(() => undefined, 1000)));\n");
    const { report } = await validate(blueprint, 'BookingService', hanging, { timeoutMs: 3000 });
    expect(report.status).toBe('failed');
    expect(report.tests).toMatchObject({ ran: true, timedOut: true, error: expect.stringContaining('3000 ms') });
  });
});
