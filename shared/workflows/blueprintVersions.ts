import type { Blueprint } from '../blueprints/schemas';
import type { DocumentStore, StoredDocument } from '../platform/ports';
import { NotFound } from '../platform/http/errors';

interface BlueprintVersionDocument extends StoredDocument {
  type: 'blueprintVersion';
  version: number;
  status: string;
  blueprint: Blueprint;
  modules: { name: string; kind: string; dependsOn: string[] }[];
}

/** A stored, valid blueprint version of a project (written by the blueprints context). */
export async function loadBlueprintVersion(store: DocumentStore, tenantId: string, projectId: string, version?: number): Promise<Blueprint> {
  return (await findBlueprintVersion(store, tenantId, projectId, version)).blueprint;
}

export async function findBlueprintVersion(store: DocumentStore, tenantId: string, projectId: string, version?: number): Promise<BlueprintVersionDocument> {
  const where: { field: string; op: '='; value: string | number }[] = [
    { field: 'type', op: '=', value: 'blueprintVersion' },
    { field: 'status', op: '=', value: 'valid' },
  ];
  if (version !== undefined) where.push({ field: 'version', op: '=', value: version });
  const page = await store.query<BlueprintVersionDocument>('blueprints', { tenantId, projectId }, { where, orderBy: { field: 'version', direction: 'desc' }, limit: 1 });
  const found = page.items[0];
  if (!found) throw new NotFound(version === undefined ? `Project '${projectId}' has no valid blueprint yet.` : `Blueprint version ${version} of '${projectId}' was not found.`);
  return found;
}
