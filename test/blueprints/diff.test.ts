import { diffBlueprints, hasChanges, touchedModules } from '../../shared/blueprints';
import { exampleText, validBlueprint } from './support';

describe('diffBlueprints', () => {
  const v1Text = exampleText('vetclinic.yaml');
  const v1 = validBlueprint(v1Text);

  it('finds nothing between a blueprint and itself, and touches no module', () => {
    const diff = diffBlueprints(v1, validBlueprint(v1Text));
    expect(hasChanges(diff)).toBe(false);
    expect(diff).toEqual({ modules: { added: [], removed: [], changed: [], unchanged: ['BookingService', 'NotificationService', 'PaymentService'] } });
    expect(touchedModules(diff)).toEqual([]);
  });

  it('lists precisely what changed between two versions', () => {
    const v2Text = v1Text
      .replace('fields: { petName: string, startsAt: datetime, status: { enum: [booked, cancelled] } }', 'fields: { petName: string?, startsAt: datetime, vetName: string }')
      .replace('events: { emits: [AppointmentBooked.v1], consumes: [PaymentReceived.v2] }', 'events: { emits: [AppointmentBooked.v1, AppointmentCancelled.v1], consumes: [PaymentReceived.v2] }')
      .replace('scaling: { minReplicas: 1, maxReplicas: 10,', 'scaling: { minReplicas: 2, maxReplicas: 10,')
      .replace('  release: { approvals: { production: [ReleaseManager] } }', `    - name: ReportingService
      kind: function
      events: { consumes: [AppointmentBooked.v1] }
  release: { approvals: { staging: [Approver], production: [ReleaseManager] } }`)
      .replace(/ {4}- name: PaymentService[\s\S]*?(?= {4}- name: ReportingService)/, '')
      .replace('consumes: [AppointmentBooked.v1, PaymentReceived.v2] }', 'consumes: [AppointmentBooked.v1] }')
      .replace('events: { emits: [AppointmentBooked.v1, AppointmentCancelled.v1], consumes: [PaymentReceived.v2] }', 'events: { emits: [AppointmentBooked.v1, AppointmentCancelled.v1], consumes: [PaymentReceived.v2], external: [PaymentReceived.v2] }');
    const v2 = validBlueprint(v2Text);

    const diff = diffBlueprints(v1, v2);
    expect(diff).toEqual({
      release: { before: { approvals: { production: ['ReleaseManager'] } }, after: { approvals: { staging: ['Approver'], production: ['ReleaseManager'] } } },
      modules: {
        added: ['ReportingService'],
        removed: ['PaymentService'],
        unchanged: [],
        changed: [
          {
            name: 'BookingService',
            entities: {
              added: [],
              removed: [],
              changed: [
                {
                  name: 'Appointment',
                  fields: {
                    added: [{ name: 'vetName', type: { kind: 'scalar', name: 'string', optional: false } }],
                    removed: [{ name: 'status', type: { kind: 'enum', values: ['booked', 'cancelled'], optional: false } }],
                    changed: [{ name: 'petName', before: { kind: 'scalar', name: 'string', optional: false }, after: { kind: 'scalar', name: 'string', optional: true } }],
                  },
                },
              ],
            },
            events: { emits: { added: ['AppointmentCancelled.v1'], removed: [] }, external: { added: ['PaymentReceived.v2'], removed: [] } },
            scaling: {
              before: { minReplicas: 1, maxReplicas: 10, triggers: [{ type: 'cpu', threshold: 75 }] },
              after: { minReplicas: 2, maxReplicas: 10, triggers: [{ type: 'cpu', threshold: 75 }] },
            },
          },
          { name: 'NotificationService', events: { consumes: { added: [], removed: ['PaymentReceived.v2'] } } },
        ],
      },
    });
    expect(touchedModules(diff)).toEqual(['ReportingService', 'BookingService', 'NotificationService']);
  });

  it('reports spec-level changes, and edition or environment changes touch every module', () => {
    const v2 = validBlueprint(
      v1Text
        .replace('edition: pro', 'edition: enterprise')
        .replace('environments: [dev, staging, production]', 'environments: [dev, production]')
        .replace('monthlyBudgetUsd: 500', 'monthlyBudgetUsd: 800')
        .replace('- name: Invoice\n', '- name: Invoice\n          description: A bill for one appointment\n')
        .replace('dependsOn: [NotificationService]\n      scaling: { minReplicas: 1, maxReplicas: 4', 'scaling: { minReplicas: 1, maxReplicas: 4'),
    );
    const diff = diffBlueprints(v1, v2);
    expect(diff).toEqual({
      edition: { before: 'pro', after: 'enterprise' },
      environments: { added: [], removed: ['staging'], before: ['dev', 'staging', 'production'], after: ['dev', 'production'] },
      cost: { before: { monthlyBudgetUsd: 500 }, after: { monthlyBudgetUsd: 800 } },
      modules: {
        added: [],
        removed: [],
        changed: [
          {
            name: 'PaymentService',
            entities: { added: [], removed: [], changed: [{ name: 'Invoice', description: { before: undefined, after: 'A bill for one appointment' }, fields: { added: [], removed: [], changed: [] } }] },
            dependsOn: { added: [], removed: ['NotificationService'] },
          },
        ],
        unchanged: ['BookingService', 'NotificationService'],
      },
    });
    expect(touchedModules(diff)).toEqual(['PaymentService', 'BookingService', 'NotificationService']);
  });

  it('does not count a different order of modules or of set-like lists as a change', () => {
    const reordered = validBlueprint(v1Text.replace('consumes: [AppointmentBooked.v1, PaymentReceived.v2]', 'consumes: [PaymentReceived.v2, AppointmentBooked.v1]'));
    expect(hasChanges(diffBlueprints(v1, reordered))).toBe(false);
    const reversed = { ...v1, spec: { ...v1.spec, modules: [...v1.spec.modules].reverse() } };
    expect(hasChanges(diffBlueprints(v1, reversed))).toBe(false);
  });
});
