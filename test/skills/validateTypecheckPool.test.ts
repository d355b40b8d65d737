import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TypecheckPool } from '../../shared/skills/validate/typecheckPool';

jest.setTimeout(300_000);

describe('TypecheckPool (type checks in worker threads)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'typecheck-pool-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('emits before it checks, reports type errors, and starts a new worker after an idle one exited', async () => {
    const pool = new TypecheckPool(1, 50);
    writeFileSync(path.join(dir, 'ok.ts'), 'export const answer: number = 42;\n');
    const clean = pool.check(dir, ['ok.ts']);
    expect(await clean.emitted).toBe(true);
    expect(existsSync(path.join(dir, 'dist', 'ok.js'))).toBe(true);
    expect(await clean.diagnostics).toEqual([]);

    await new Promise((resolve) => setTimeout(resolve, 500)); // the idle worker exits
    writeFileSync(path.join(dir, 'broken.ts'), "export const answer: number = 'a';\n");
    const broken = pool.check(dir, ['broken.ts']);
    await broken.emitted;
    expect(await broken.diagnostics).toEqual([{ file: 'broken.ts', line: 1, column: 14, code: 2322, message: "Type 'string' is not assignable to type 'number'." }]);
  });

  it('queues checks beyond its size and answers each with its own verdict', async () => {
    const pool = new TypecheckPool(1, 50);
    const files = Array.from({ length: 3 }, (_, i) => {
      writeFileSync(path.join(dir, `m${i}.ts`), i === 1 ? 'export const x: string = 1;\n' : `export const x${i} = ${i};\n`);
      return `m${i}.ts`;
    });
    const checks = files.map((file) => pool.check(dir, [file]));
    const verdicts = await Promise.all(checks.map((check) => check.diagnostics));
    expect(verdicts.map((diagnostics) => diagnostics.map((d) => `${d.file}:${d.code}`))).toEqual([[], ['m1.ts:2322'], []]);
  });
});
