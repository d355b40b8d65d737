import ts from 'typescript';
import { parse } from 'yaml';
import { compareText } from '../naming';
import { toCheck } from '../outcome';
import type { SkillArtifact, SkillCheck } from '../types';
import type { ServiceModel } from './model';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** Every generated TypeScript file parses (the full type-check is ValidateService's job). */
export function checkSyntax(artifacts: readonly SkillArtifact[]): SkillCheck {
  const failures: string[] = [];
  for (const artifact of artifacts.filter((candidate) => candidate.name.endsWith('.ts'))) {
    const output = ts.transpileModule(artifact.content, { fileName: artifact.name, reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.CommonJS } });
    for (const diagnostic of output.diagnostics ?? []) failures.push(`${artifact.name}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
  }
  return toCheck('typescript-syntax', failures);
}

/** The operations the generated service serves, as `METHOD /path/{id}` (the contract's spelling). */
export function servedRoutes(model: ServiceModel): string[] {
  const routes = ['GET /health/live', 'GET /health/ready'];
  for (const apiBase of model.apiBases) {
    for (const entity of model.entities) {
      const base = `${apiBase}/${entity.collection}`;
      routes.push(`GET ${base}`, `POST ${base}`, `GET ${base}/{id}`, `PUT ${base}/{id}`, `DELETE ${base}/{id}`);
    }
  }
  return routes.sort(compareText);
}

function contractRoutes(contract: SkillArtifact): string[] | string {
  let document: unknown;
  try {
    document = parse(contract.content);
  } catch (error) {
    return `${contract.name} does not parse: ${(error as Error).message}`;
  }
  const paths = (document as { paths?: Record<string, Record<string, unknown>> } | null)?.paths;
  if (!paths || typeof paths !== 'object') return `${contract.name} has no paths`;
  return Object.entries(paths).flatMap(([path, item]) => METHODS.filter((method) => item && method in item).map((method) => `${method.toUpperCase()} ${path}`));
}

/** When the module's OpenAPI contract is among the inputs: every contract operation is served, and nothing else. */
export function checkContractRoutes(artifacts: readonly SkillArtifact[], module: string, served: readonly string[]): SkillCheck {
  const contract = artifacts.find((artifact) => artifact.kind === 'openapi-contract' && artifact.module === module);
  if (!contract) return { name: 'contract-routes', ok: true, detail: 'no OpenAPI contract among the inputs' };
  const expected = contractRoutes(contract);
  if (typeof expected === 'string') return toCheck('contract-routes', [expected]);
  const missing = expected.filter((route) => !served.includes(route)).map((route) => `not served: ${route}`);
  const extra = served.filter((route) => !expected.includes(route)).map((route) => `not in the contract: ${route}`);
  return toCheck('contract-routes', [...missing, ...extra].sort(compareText));
}

