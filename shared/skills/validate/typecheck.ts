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

/**
 * Type-checks the TypeScript files under `dir` with the project's tsconfig made strict and pointed at
 * the factory's `@types/node`, and emits JavaScript with source maps to `dir/dist` when clean.
 */
export function typecheck(dir: string, files: readonly string[]): { diagnostics: Diagnostic[]; emitted: boolean } {
  const options = compilerOptions(dir);
  const program = ts.createProgram({ rootNames: files.map((file) => path.join(dir, file)), options, host: cachingHost(options) });
  const diagnostics = ts.getPreEmitDiagnostics(program).map((diagnostic) => toDiagnostic(dir, diagnostic));
  if (diagnostics.length > 0) return { diagnostics: diagnostics.sort(compareLocated), emitted: false };
  const emit = program.emit();
  const emitDiagnostics = emit.diagnostics.map((diagnostic) => toDiagnostic(dir, diagnostic));
  return { diagnostics: emitDiagnostics.sort(compareLocated), emitted: !emit.emitSkipped };
}
