import { eventCatalog } from '../../shared/platform/events/catalog';
import { cloudEventSchema } from '../../shared/platform/events/cloudEvent';
import { EventValidationError, createEvent, parseEvent } from '../../shared/platform/events/createEvent';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('events', () => {
  it('builds a CloudEvents 1.0 envelope with the factory extensions', () => {
    const event = createEvent('BlueprintValidated.v1', { version: 3, warnings: [] }, { tenantId: 'acme', projectId: 'shop', traceId, workflowId: 'wf-1', subject: 'blueprints/3' });
    expect(event).toEqual({
      id: expect.any(String),
      source: '/tenants/acme/projects/shop',
      type: 'BlueprintValidated.v1',
      specversion: '1.0',
      time: expect.any(String),
      datacontenttype: 'application/json',
      subject: 'blueprints/3',
      traceid: traceId,
      tenantid: 'acme',
      projectid: 'shop',
      workflowid: 'wf-1',
      data: { version: 3, warnings: [] },
    });
    expect(cloudEventSchema.safeParse(event).success).toBe(true);
    expect(Object.values(event)).not.toContain(null);
  });

  it('uses a tenant source for tenant-level events', () => {
    const event = createEvent('ApiKeyRevoked.v1', { keyId: 'acme.01' }, { tenantId: 'acme', traceId });
    expect(event.source).toBe('/tenants/acme');
    expect(event).not.toHaveProperty('projectid');
  });

  it('rejects data that breaks the type schema, naming every path', () => {
    const bad = { version: 0, errors: [] } as never;
    try {
      createEvent('BlueprintRejected.v1', bad, { tenantId: 'acme', projectId: 'shop', traceId });
      throw new Error('expected a failure');
    } catch (error) {
      expect(error).toBeInstanceOf(EventValidationError);
      expect((error as EventValidationError).issues.map((i) => i.path)).toEqual(['data.version', 'data.errors']);
    }
  });

  it('rejects an envelope with a malformed trace id', () => {
    expect(() => createEvent('ApiKeyRevoked.v1', { keyId: 'k' }, { tenantId: 'acme', traceId: 'nope' })).toThrow(/traceid/);
  });

  it('round-trips through parseEvent and refuses unknown types', () => {
    const event = createEvent('WorkflowStarted.v1', { workflowId: 'wf', kind: 'blueprintToRelease' }, { tenantId: 'acme', projectId: 'shop', traceId });
    expect(parseEvent(JSON.parse(JSON.stringify(event)))).toEqual(event);
    expect(() => parseEvent({ ...event, type: 'Nope.v1' })).toThrow(/not in the event catalog/);
    expect(() => parseEvent({ ...event, data: { workflowId: 1 } })).toThrow(EventValidationError);
  });

  it('catalogues every event type other contexts name', () => {
    expect(Object.keys(eventCatalog)).toEqual(
      expect.arrayContaining([
        'ApiKeyCreated.v1', 'ApiKeyRevoked.v1', 'ApprovalDecided.v1', 'ApprovalRequested.v1', 'ArtifactStored.v1', 'BlueprintRejected.v1',
        'BlueprintSubmitted.v1', 'BlueprintValidated.v1', 'BudgetExceeded.v1', 'PolicyDecided.v1', 'ProjectCreated.v1', 'RuntimeDriftDetected.v1',
        'TenantCreated.v1', 'WorkflowCompleted.v1', 'WorkflowFailed.v1', 'WorkflowStarted.v1',
      ]),
    );
    for (const [type, definition] of Object.entries(eventCatalog)) expect(definition.type).toBe(type);
  });
});
