import type { DocumentStore, StoredDocument } from '../platform/ports';
import { NotFound } from '../platform/http/errors';

/**
 * The stored shape of a project, shared by the contexts that hang off a project (blueprints,
 * artifacts, workflows): container `projects`, partition `{ tenantId }`, id = projectId.
 */
export interface ProjectDocument extends StoredDocument {
  type: 'project';
  name: string;
  description?: string;
  environments: string[];
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

/** The project, or a 404 problem: the same answer whether it is missing or another tenant's. */
export async function requireProject(store: DocumentStore, tenantId: string, projectId: string): Promise<ProjectDocument> {
  const project = await store.read<ProjectDocument>('projects', { tenantId }, projectId);
  if (!project || project.type !== 'project') throw new NotFound(`Project '${projectId}' was not found.`);
  return project;
}
