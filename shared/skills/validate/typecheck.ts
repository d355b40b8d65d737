import path from 'node:path';
import ts from 'typescript';
import { compareLocated, type Diagnostic } from './report';

/** `node_modules/@types` of the factory's own install: the generated project needs no install. */
export function factoryTypeRoot(): string {
  return path.dirname(path.dirname(require.resolve('@types/node/package.json')));
}

function compilerOptions(dir: string): ts.CompilerOptions {
  const configPath = path.join(dir, 'tsconfig.json');
  const read = ts.sys.fileExists(configPath) ? ts.readConfigFile(configPath, ts.sys.readFile) : { config: { compilerOptions: { strict: true, module: 'commonjs', target: 'ES2022' } } };
  const parsed = ts.parseJsonConfigFileContent(read.config ?? {}, ts.sys, dir, undefined, configPath);
  return {
    ...parsed.options,
    strict: true,
    noEmit: false,
    noEmitOnError: true,
    sourceMap: true,
    inlineSourceMap: false,
    rootDir: dir,
    outDir: path.join(dir, 'dist'),
    types: ['node'],
    typeRoots: [factoryTypeRoot()],
  };
}

function toDiagnostic(dir: string, diagnostic: ts.Diagnostic): Diagnostic {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n').split(dir).join('.');
  if (!diagnostic.file || diagnostic.start === undefined) return { file: '', line: 0, column: 0, code: diagnostic.code, message };
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  const file = path.relative(dir, diagnostic.file.fileName).split(path.sep).join('/');
  return { file, line: line + 1, column: character + 1, code: diagnostic.code, message };
}

/**
 * Parsed declaration files of the factory's node_modules (fastify, the Azure SDKs, Node's types),
 * shared by every check in this process: they are most of a check's work and never change while it runs.
 */
const declarationFiles = new Map<string, ts.SourceFile>();

function cachingHost(options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (!fileName.endsWith('.d.ts') || !fileName.includes(`${path.sep}node_modules${path.sep}`)) return read(fileName, languageVersion, onError, shouldCreate);
    const key = `${fileName}|${typeof languageVersion === 'object' ? languageVersion.languageVersion : languageVersion}`;
    let file = declarationFiles.get(key);
    if (!file) {
      file = read(fileName, languageVersion, onError, shouldCreate);
      if (file) declarationFiles.set(key, file);
    }
    return file;
  };
  return host;
}

/** A program over a module's files: emit first, check after (see `prepareTypecheck`). */
export interface Typecheck {
  /** Writes the JavaScript (and source maps) to `dir/dist` whatever the diagnostics; false when TypeScript skipped it. */
  emit(): boolean;
  /**
   * The verdict: the pre-emit diagnostics (syntax, options, global, semantic), sorted; when there are
   * none, the emit's own diagnostics. Empty means the module type-checks.
   */
  diagnostics(): Diagnostic[];
}

/**
 * A TypeScript program over `files` under `dir`, with the project's tsconfig made strict and pointed
 * at the factory's `@types/node`. Emitting before checking lets the caller start the compiled tests
 * while this process checks (emit output does not depend on the check); a caller must throw away
 * whatever ran when `diagnostics()` is not empty, which is what `typecheck` did by not emitting.
 */
export function prepareTypecheck(dir: string, files: readonly string[]): Typecheck {
  const options = { ...compilerOptions(dir), noEmitOnError: false };
  const program = ts.createProgram({ rootNames: files.map((file) => path.join(dir, file)), options, host: cachingHost(options) });
  let emitted: ts.EmitResult | undefined;
  return {
    emit() {
      emitted ??= program.emit();
      return !emitted.emitSkipped;
    },
    diagnostics() {
      const diagnostics = ts.getPreEmitDiagnostics(program).map((diagnostic) => toDiagnostic(dir, diagnostic));
      if (diagnostics.length > 0) return diagnostics.sort(compareLocated);
      emitted ??= program.emit();
      return emitted.diagnostics.map((diagnostic) => toDiagnostic(dir, diagnostic)).sort(compareLocated);
    },
  };
}

/**
 * Type-checks the TypeScript files under `dir` (see `prepareTypecheck`) and emits JavaScript with
 * source maps to `dir/dist` only when clean.
 */
export function typecheck(dir: string, files: readonly string[]): { diagnostics: Diagnostic[]; emitted: boolean } {
  const check = prepareTypecheck(dir, files);
  const diagnostics = check.diagnostics();
  return { diagnostics, emitted: diagnostics.length === 0 && check.emit() };
}
