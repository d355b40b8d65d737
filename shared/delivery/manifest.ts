import { findBlueprintVersion } from '../workflows/blueprintVersions';
import type { DocumentStore } from '../platform/ports';
import { Validation } from '../platform/http/errors';
import { kebabCase } from '../skills/naming';
import type { ProjectRepository } from '../skills/repository';
import type { DeliveryManifest } from './schemas';

/**
 * The manifest of a release of `ref`: the commit, the blueprint version its trailer names, and per
 * module its folder, artifact hash (the folder's git tree id), version `<commit 12>+<hash 12>`,
 * replicas (the blueprint's minimum, at least 1) and contract; the environments in blueprint order
 * with the blueprint's `release.approvals`.
 */
export async function buildManifest(store: DocumentStore, repository: ProjectRepository, key: { tenantId: string; projectId: string }, ref: string, environments?: string[]): Promise<DeliveryManifest> {
  let commit: string;
  try {
    commit = await repository.resolve(ref);
  } catch {
    throw new Validation([{ path: 'body.ref', message: `'${ref}' is not a branch, tag or commit of the project repository` }], 'Unknown ref.');
  }
  const [tip] = await repository.logFrom(commit, 1);
  const blueprintVersion = Number(tip?.trailers['Blueprint-Version']);
  if (!Number.isInteger(blueprintVersion) || blueprintVersion < 1) throw new Validation([{ path: 'body.ref', message: 'the commit carries no Blueprint-Version trailer: it was not made by the factory' }], 'Not a factory commit.');
  const { blueprint } = await findBlueprintVersion(store, key.tenantId, key.projectId, blueprintVersion);
  const modules: DeliveryManifest['modules'] = [];
  for (const module of blueprint.spec.modules) {
    const folder = kebabCase(module.name);
    const artifactHash = await repository.folderHash(commit, folder);
    if (!artifactHash) throw new Validation([{ path: 'body.ref', message: `module ${module.name} has no folder '${folder}' at ${commit.slice(0, 12)}` }], 'Incomplete commit.');
    const contract = (await repository.readFileAt(commit, `${folder}/openapi.yaml`)) !== undefined ? `${folder}/openapi.yaml` : undefined;
    modules.push({ name: module.name, kind: module.kind, folder, version: `${commit.slice(0, 12)}+${artifactHash.slice(0, 12)}`, artifactHash, replicas: Math.max(1, module.scaling?.minReplicas ?? 1), ...(contract ? { contract } : {}) });
  }
  const approvals = (blueprint.spec.release?.approvals ?? {}) as Record<string, string[]>;
  const order = blueprint.spec.environments.filter((name) => !environments || environments.includes(name));
  if (order.length === 0) throw new Validation([{ path: 'body.environments', message: `none of these is an environment of the blueprint (${blueprint.spec.environments.join(', ')})` }]);
  return {
    commit,
    blueprintVersion,
    modules,
    environments: order.map((name, index) => ({ name: name as 'dev' | 'staging' | 'production', order: index + 1, approvals: [...(approvals[name] ?? [])] as DeliveryManifest['environments'][number]['approvals'] })),
  };
}
