import { changeEvent, type ChangeContext } from '../platform/eventOutbox';
import type { OutboxEvent } from '../platform/store/outboxDocument';
import type { ProjectDocument } from './lookup';

/** `ProjectCreated.v1`, in the tenant's audit chain, sourced at the project. */
export function toProjectCreated(project: ProjectDocument, change: ChangeContext): OutboxEvent {
  return changeEvent('ProjectCreated.v1', { projectId: project.id, name: project.name }, change, {
    tenantId: project.tenantId,
    projectId: project.id,
    subject: `projects/${project.id}`,
  });
}
