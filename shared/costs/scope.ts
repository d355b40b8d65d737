import { NotFound } from '../platform/http/errors';
import type { DocumentStore } from '../platform/ports';
import { requireProject } from '../projects/lookup';
import { TenantStore } from '../tenancy/store';

/** The tenant (and project) exist, or a 404 problem. */
export async function requireScope(store: DocumentStore, tenantId: string, projectId?: string): Promise<void> {
  if (!(await new TenantStore(store).read(tenantId))) throw new NotFound(`Tenant '${tenantId}' was not found.`);
  if (projectId !== undefined) await requireProject(store, tenantId, projectId);
}
