import { toStudioConfig } from '../../shared/studio/schemas';
import { toMount } from '../../shared/studio/handlers';
import { locateProblems, toPathSegments } from '../../shared/blueprints/locate';

describe('Studio settings', () => {
  it('offers Entra ID sign-in only when client id and authority are both set', () => {
    expect(toStudioConfig({})).toEqual({ apiKeySignIn: true });
    expect(toStudioConfig({ STUDIO_ENTRA_CLIENT_ID: 'app-id', STUDIO_ENTRA_AUTHORITY: 'https://login.microsoftonline.com/tid', STUDIO_ENTRA_SCOPES: 'api://factory/.default' })).toEqual({
      apiKeySignIn: true,
      entra: { clientId: 'app-id', authority: 'https://login.microsoftonline.com/tid', scopes: ['api://factory/.default'] },
    });
    expect(() => toStudioConfig({ STUDIO_ENTRA_CLIENT_ID: 'app-id' })).toThrow(/STUDIO_ENTRA_AUTHORITY/);
    expect(() => toStudioConfig({ STUDIO_ENTRA_CLIENT_ID: 'app-id', STUDIO_ENTRA_AUTHORITY: 'not a url' })).toThrow(/STUDIO_ENTRA_AUTHORITY/);
  });

  it('takes the mount from X-Forwarded-Prefix only when it is a plain path', () => {
    expect(toMount(null)).toBe('/');
    expect(toMount('/factory')).toBe('/factory/');
    expect(toMount('/factory/studio/')).toBe('/factory/studio/');
    for (const hostile of ['factory', '//evil.example', '/a"><script>', 'https://evil.example/', '/a//b']) expect(toMount(hostile)).toBe('/');
  });
});

describe('blueprint problems located in the text', () => {
  it('parses problem paths back into segments', () => {
    expect(toPathSegments('spec.modules[0].entities[12].fields.startsAt')).toEqual(['spec', 'modules', 0, 'entities', 12, 'fields', 'startsAt']);
    expect(toPathSegments('a["x.y"].b')).toEqual(['a', 'x.y', 'b']);
    expect(toPathSegments('')).toEqual([]);
  });

  it('puts each problem at the line of its key, or of the nearest parent for a missing one', () => {
    const text = 'spec:\n  modules:\n    - name: bad name\n      kind: x\n';
    const located = locateProblems(text, [
      { path: 'spec.modules[0].name', code: 'InvalidName', message: 'bad' },
      { path: 'spec.modules[0].entities', code: 'Required', message: 'missing' },
      { path: '', code: 'YamlSyntax', message: 'Oops at line 9, column 3.' },
    ]);
    expect(located.map((p) => [p.line, p.column])).toEqual([
      [3, 7],
      [3, 7],
      [9, 3],
    ]);
  });
});
