import { byPrecedence, compileRoute, segmentCount } from '../local/http/routeTemplate';

describe('route templates', () => {
  it('matches parameters case-insensitively on literals and decodes values', () => {
    expect(compileRoute('api/items/{id}').match('/API/Items/a%20b')).toEqual({ id: 'a b' });
    // Leading, doubled and trailing slashes are normalised before matching.
    for (const path of ['api/items/7', '//api/items/7', '/api/items/7/', '/api/items/7//']) expect(compileRoute('api/items/{id}').match(path)).toEqual({ id: '7' });
  });

  it('supports optional parameters, defaults and catch-alls', () => {
    const r = compileRoute('api/items/{id?}');
    expect(r.match('/api/items')).toEqual({});
    expect(r.match('/api/items/3')).toEqual({ id: '3' });
    expect(compileRoute('api/p/{page=1}').match('/api/p')).toEqual({ page: '1' });
    expect(compileRoute('api/blob/{*path}').match('/api/blob/a/b/c')).toEqual({ path: 'a/b/c' });
  });

  it('applies constraints', () => {
    const r = compileRoute('api/{id:int}/{name:alpha:minlength(2)}/{g:guid?}');
    expect(r.match('/api/12/ab')).toEqual({ id: '12', name: 'ab' });
    expect(r.match('/api/x/ab')).toBeUndefined();
    expect(r.match('/api/1/a')).toBeUndefined();
    expect(r.match('/api/1/ab/not-a-guid')).toBeUndefined();
    expect(compileRoute('api/{n:range(1,5)}').match('/api/6')).toBeUndefined();
    expect(compileRoute('api/{v:regex(^v\\d+$)}').match('/api/v2')).toEqual({ v: 'v2' });
    expect(compileRoute('api/{b:bool}').match('/api/TRUE')).toEqual({ b: 'TRUE' });
  });

  it('matches parameters embedded in a segment', () => {
    expect(compileRoute('files/{name}.{ext}').match('/files/report.pdf')).toEqual({ name: 'report', ext: 'pdf' });
  });

  it('rejects an unknown constraint', () => {
    expect(() => compileRoute('api/{id:nope}')).toThrow(/unknown constraint/);
  });

  it('never matches a path outside its segment range (the host skips those routes unmatched)', () => {
    const templates = ['', 'api/items/{id}', 'api/items/{id?}', 'api/p/{page=1}', 'api/blob/{*path}', 'a/{b?}/c', 'files/{name}.{ext}', '{*all}', 'api/{id:int}/{name:alpha}/{g:guid?}', 'a//b'];
    const paths = ['/', '', '/api', '/api/items', '/api/items/7', '//api/items/7/', '/api/items/7//', '/api/p', '/api/p/2', '/api/blob', '/api/blob/a/b/c', '/a/c', '/a/x/c', '/files/r.pdf', '/api/1/ab', '/api/1/ab/0f8fad5b-d9cb-469f-a165-70867728950e', '/a//b', '/x/y/z/w'];
    let matches = 0;
    for (const template of templates) {
      const route = compileRoute(template);
      for (const path of paths) {
        if (!route.match(path)) continue;
        matches++;
        const count = segmentCount(path);
        expect({ template, path, inRange: count >= route.minSegments && count <= route.maxSegments }).toEqual({ template, path, inRange: true });
      }
    }
    expect(matches).toBeGreaterThan(20);
    expect(compileRoute('a/{b?}/c')).toMatchObject({ minSegments: 2, maxSegments: 3 });
    expect(compileRoute('api/blob/{*path}')).toMatchObject({ minSegments: 2, maxSegments: Infinity });
  });

  it('orders literal segments before parameters before catch-alls', () => {
    const routes = ['a/{*rest}', 'a/{id}', 'a/b', 'a/{id:int}'].map(compileRoute).sort(byPrecedence);
    expect(routes.map((r) => r.template)).toEqual(['a/b', 'a/{id:int}', 'a/{id}', 'a/{*rest}']);
  });
});
