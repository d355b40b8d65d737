import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Build scripts the local runtime runs with the TypeScript compiler API in its own process instead
 * of spawning `npm run build`: a plain `tsc -p .`, which is what every generated service declares
 * (`shared/skills/service/model.ts`). Anything else is run with npm.
 */
const PLAIN_TSC = /^tsc(\s+(-p|--project)\s+(\.|\.\/|tsconfig\.json|\.\/tsconfig\.json))?$/;

/** A module's parsed tsconfig (its options and the files its `include` names), or undefined when it has none or it is invalid. */
function projectOf(dir: string): ts.ParsedCommandLine | undefined {
  const configPath = path.join(dir, 'tsconfig.json');
  if (!ts.sys.fileExists(configPath)) return undefined;
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  return parsed && parsed.errors.length === 0 ? parsed : undefined;
}

/**
 * Builds a checked-out module in this process when its build script is a plain `tsc -p .` and its
 * tsconfig emits CommonJS from `<dir>` to `<dir>/dist` (the generated layout): every `.ts` file its
 * tsconfig includes is transpiled with the TypeScript compiler API (`transpileModule`, with the
 * tsconfig's options and source maps) to the place `tsc` would write it — no node + npm + tsc start
 * per module, no second type-check. Type-checking is ValidateService's job: it checked exactly these
 * files (same artifact hash) before the commit reached main. Syntax errors still fail the build.
 * Returns false when the module is not of that shape (the caller runs `npm run build`).
 */
export async function compileInProcess(dir: string, buildScript: string): Promise<boolean> {
  if (!PLAIN_TSC.test(buildScript.trim())) return false;
  const project = projectOf(dir);
  const root = path.resolve(dir);
  if (!project || project.fileNames.length === 0 || !project.fileNames.every((f) => f.endsWith('.ts'))) return false;
  const { options } = project;
  if (path.resolve(options.outDir ?? '') !== path.join(root, 'dist') || path.resolve(options.rootDir ?? '') !== root || options.module !== ts.ModuleKind.CommonJS) return false;
  for (const file of project.fileNames.filter((f) => !f.endsWith('.d.ts'))) {
    transpileFile(root, file, options);
    // One file at a time, then let the host serve requests: the builds run on its event loop.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return true;
}

/** Writes `<outDir>/<file relative to rootDir>.js` (and its map); throws on syntax errors, with file, line and column. */
function transpileFile(root: string, file: string, options: ts.CompilerOptions): void {
  const output = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: { ...options, noEmit: false, declaration: false, composite: false }, fileName: file, reportDiagnostics: true });
  const errors = (output.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    const lines = errors.slice(0, 10).map((d) => {
      const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      return `${path.relative(root, file)}${at ? `:${at.line + 1}:${at.character + 1}` : ''} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
    });
    throw new Error(`tsc failed: ${lines.join('\n')}`);
  }
  const target = path.join(options.outDir!, path.relative(root, file)).replace(/\.ts$/, '.js');
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, output.outputText);
  if (output.sourceMapText) fs.writeFileSync(`${target}.map`, output.sourceMapText);
}
