import { locatePaths, toSegments } from '../../cli/blueprintPositions';

describe('blueprint problem positions', () => {
  it('splits API paths into keys and indexes', () => {
    expect(toSegments('spec.modules[0].entities[12].fields.startsAt')).toEqual(['spec', 'modules', 0, 'entities', 12, 'fields', 'startsAt']);
    expect(toSegments('')).toEqual([]);
  });

  it('points at the key of each path in YAML, or at the nearest present parent', () => {
    const yaml = ['apiVersion: factory/v1', 'spec:', '  modules:', '    - name: A', '      dependsOn: [B, C]', '    - name: B', ''].join('\n');
    const at = locatePaths(yaml, ['spec.modules[0].dependsOn[1]', 'spec.modules[1].name', 'spec.modules[1].kind', 'spec.nope.deeper', '']);
    expect(at.get('spec.modules[0].dependsOn[1]')).toEqual({ line: 5, column: 22 });
    expect(at.get('spec.modules[1].name')).toEqual({ line: 6, column: 7 });
    expect(at.get('spec.modules[1].kind')).toEqual({ line: 6, column: 7 });
    expect(at.get('spec.nope.deeper')).toEqual({ line: 2, column: 1 });
    expect(at.get('')).toEqual({ line: 1, column: 1 });
  });

  it('reads JSON blueprints too', () => {
    const json = '{\n  "spec": {\n    "modules": [\n      { "name": "A", "kind": "serverless" }\n    ]\n  }\n}\n';
    expect(locatePaths(json, ['spec.modules[0].kind']).get('spec.modules[0].kind')).toEqual({ line: 4, column: 22 });
  });
});
