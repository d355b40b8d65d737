import { releaseApproversOf, validateBlueprint, type Problem } from '../../shared/blueprints';
import { documentWith, exampleText, validBlueprint } from './support';

function problemsOf(document: unknown): Problem[] {
  const result = validateBlueprint(document);
  if (result.ok) throw new Error('expected problems, the blueprint is valid');
  return result.problems;
}

function valid(document: unknown) {
  const result = validateBlueprint(document);
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.blueprint;
}

const scaled = (triggers: object[], extra: object = {}) => documentWith([{ name: 'LendingService', kind: 'microservice', scaling: { minReplicas: 0, maxReplicas: 10, triggers }, ...extra }]);
const serviceBus = { infrastructure: { queue: 'azure-service-bus' } };

describe('blueprint settings: every accepted setting is applied, or refused', () => {
  it('accepts a queue-length trigger that names its queue', () => {
    const blueprint = valid(scaled([{ type: 'queueLength', queue: 'lending-commands', threshold: 50 }], serviceBus));
    expect(blueprint.spec.modules[0].scaling?.triggers).toEqual([{ type: 'queueLength', queue: 'lending-commands', threshold: 50 }]);
  });

  it('accepts cpu, memory and http triggers with their units', () => {
    valid(scaled([{ type: 'cpu', threshold: 75 }, { type: 'memory', threshold: 80 }]));
    valid(scaled([{ type: 'http', threshold: 100 }]));
  });

  it('refuses triggers it cannot apply, each at its path', () => {
    expect(problemsOf(scaled([{ type: 'queueLength', threshold: 50 }], serviceBus))).toEqual([{ path: 'spec.modules[0].scaling.triggers[0].queue', code: 'Required', message: "'queue' is required." }]);
    expect(problemsOf(scaled([{ type: 'queueLength', queue: 'lending-commands', threshold: 50 }]))).toEqual([
      { path: 'spec.modules[0].scaling.triggers[0].type', code: 'UnsupportedSetting', message: expect.stringContaining('needs Service Bus') },
    ]);
    expect(problemsOf(scaled([{ type: 'queueLength', queue: '-bad name', threshold: 50 }], serviceBus))[0]).toMatchObject({ path: 'spec.modules[0].scaling.triggers[0].queue', code: 'InvalidName' });
    expect(problemsOf(scaled([{ type: 'http', threshold: 10 }, { type: 'cpu', threshold: 50 }]))).toEqual([{ path: 'spec.modules[0].scaling.triggers[0].type', code: 'UnsupportedSetting', message: expect.stringContaining('KEDA HTTP add-on') }]);
    expect(problemsOf(scaled([{ type: 'cpu', threshold: 150 }]))[0]).toMatchObject({ path: 'spec.modules[0].scaling.triggers[0].threshold', code: 'OutOfRange' });
    expect(problemsOf(scaled([{ type: 'cpu', threshold: 50 }, { type: 'cpu', threshold: 60 }]))[0]).toMatchObject({ path: 'spec.modules[0].scaling.triggers[1]', code: 'DuplicateListEntry' });
    expect(problemsOf(scaled([{ type: 'rps', threshold: 5 }]))[0]).toMatchObject({ path: 'spec.modules[0].scaling.triggers[0].type', code: 'InvalidValue' });
    expect(problemsOf(documentWith([{ name: 'Jobs', kind: 'worker', scaling: { minReplicas: 0, maxReplicas: 2, triggers: [{ type: 'http', threshold: 5 }] } }]))[0]).toMatchObject({ code: 'UnsupportedSetting', message: expect.stringContaining('no ingress') });
  });

  it('gives a module with events and no queue Service Bus messaging, and refuses a queue that cannot carry events', () => {
    const blueprint = valid(documentWith([{ name: 'Orders', kind: 'worker', events: { emits: ['OrderPlaced.v1'] }, infrastructure: { database: 'cosmos' } }]));
    expect(blueprint.spec.modules[0].infrastructure).toEqual({ database: 'cosmos', queue: 'azure-service-bus' });
    expect(valid(documentWith([{ name: 'Quiet', kind: 'worker' }])).spec.modules[0].infrastructure).toBeUndefined();
    for (const queue of ['storage-queue', 'none']) {
      expect(problemsOf(documentWith([{ name: 'Orders', kind: 'worker', events: { emits: ['OrderPlaced.v1'] }, infrastructure: { queue } }]))).toEqual([
        { path: 'spec.modules[0].infrastructure.queue', code: 'UnsupportedSetting', message: expect.stringContaining(`'${queue}' cannot carry them`) },
      ]);
    }
  });

  it('accepts release approvals and a monthly budget (applied by the delivery and costs contexts)', () => {
    const blueprint = validBlueprint(exampleText('vetclinic.yaml'));
    expect(blueprint.spec.release?.approvals).toEqual({ production: ['ReleaseManager'] });
    expect(releaseApproversOf(blueprint, 'production')).toEqual(['ReleaseManager']);
    expect(releaseApproversOf(blueprint, 'staging')).toEqual([]);
    expect(blueprint.spec.cost?.monthlyBudgetUsd).toBe(500);
  });
});
