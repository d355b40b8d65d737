import { compareDesiredLive } from '../../shared/delivery/drift';
import { smokeTarget } from '../../shared/delivery/smoke';
import type { LiveModule } from '../../shared/runtime';

const desired = { modules: [
  { name: 'A', kind: 'microservice', folder: 'a', version: 'v1', artifactHash: 'h', replicas: 2, configHash: 'c1' },
  { name: 'B', kind: 'microservice', folder: 'b', version: 'v1', artifactHash: 'h', replicas: 1, configHash: 'c1' },
] };
const replica = (id: string, over: Partial<LiveModule['replicas'][number]> = {}) => ({ id, ready: true, version: 'v1', configHash: 'c1', ...over });

describe('drift: desired against live', () => {
  it('finds nothing when every module runs as desired', () => {
    expect(compareDesiredLive(desired, [{ module: 'A', replicas: [replica('a1'), replica('a2')] }, { module: 'B', replicas: [replica('b1')] }])).toEqual([]);
  });

  it('names each kind: missing, version, config, replica, unhealthy, unexpected', () => {
    const findings = compareDesiredLive(desired, [
      { module: 'A', replicas: [replica('a1', { version: 'v0', configHash: 'c2', ready: false })] },
      { module: 'X', version: '?', replicas: [replica('x1')] },
    ]);
    expect(findings.map((f) => [f.kind, f.module])).toEqual([['version', 'A'], ['config', 'A'], ['replica', 'A'], ['unhealthy', 'A'], ['missing', 'B'], ['unexpected', 'X']]);
    expect(findings.find((f) => f.kind === 'replica')).toMatchObject({ expected: 2, actual: 1 });
  });

  it('keeps the id of an unchanged drift and changes it when the drift changes', () => {
    const live = [{ module: 'A', replicas: [replica('a1')] }, { module: 'B', replicas: [replica('b1')] }];
    const [first] = compareDesiredLive(desired, live);
    const [again] = compareDesiredLive(desired, live);
    expect(again.findingId).toBe(first.findingId);
    const [other] = compareDesiredLive({ modules: [{ ...desired.modules[0], replicas: 3 }, desired.modules[1]] }, live);
    expect(other.findingId).not.toBe(first.findingId);
  });

  it('everything live is unexpected when nothing was ever deployed', () => {
    expect(compareDesiredLive(undefined, [{ module: 'A', replicas: [replica('a1')] }]).map((f) => f.kind)).toEqual(['unexpected']);
  });
});

describe('smoke target from an OpenAPI contract', () => {
  it('picks the first creatable collection and fills required fields only, with formats and enums', () => {
    const contract = `openapi: 3.1.0
paths:
  /pets/v1/pets:
    post:
      requestBody: { content: { application/json: { schema: { $ref: '#/components/schemas/PetInput' } } } }
  /pets/v1/pets/{id}:
    get: {}
components:
  schemas:
    PetInput:
      type: object
      required: [name, species, bornAt, tags]
      properties:
        name: { type: string }
        species: { type: string, enum: [cat, dog] }
        bornAt: { type: string, format: date-time }
        tags: { type: array, items: { type: string } }
        nickname: { type: string }
`;
    expect(smokeTarget(contract)).toEqual({ path: '/pets/v1/pets', body: { name: 'smoke', species: 'cat', bornAt: '2030-01-02T03:04:05.000Z', tags: [] } });
    expect(smokeTarget('openapi: 3.1.0\npaths: {}\n')).toBeUndefined();
  });
});
