import { changeEvent, type ChangeContext } from '../platform/eventOutbox';
import type { OutboxEvent } from '../platform/store/outboxDocument';
import type { BlueprintRejectionDocument, BlueprintVersionDocument } from './store';

/** `BlueprintSubmitted.v1` and `BlueprintValidated.v1` of a new version, sourced at its project. */
export function toVersionEvents(version: BlueprintVersionDocument, change: ChangeContext): OutboxEvent[] {
  const context = { tenantId: version.tenantId, projectId: version.projectId, subject: `blueprints/${version.version}` };
  return [
    changeEvent(
      'BlueprintSubmitted.v1',
      { version: version.version, format: version.format, contentHash: version.contentHash, submittedBy: version.submittedBy },
      change,
      context,
    ),
    changeEvent('BlueprintValidated.v1', { version: version.version, warnings: [] }, change, context),
  ];
}

/** `BlueprintRejected.v1` of a refused submission, naming its rejection record. */
export function toBlueprintRejected(rejection: BlueprintRejectionDocument & { projectId: string }, change: ChangeContext): OutboxEvent {
  return changeEvent(
    'BlueprintRejected.v1',
    { errors: rejection.errors, errorCount: rejection.errorCount, rejectionId: rejection.id, format: rejection.format, submittedBy: rejection.submittedBy },
    change,
    { tenantId: rejection.tenantId, projectId: rejection.projectId, subject: `blueprints/rejections/${rejection.id}` },
  );
}
