import type { BlueprintModule } from '../../blueprints/schemas';
import type { EmittedEvent, EntityAction } from './model';

const DELETE_VERBS = /(Deleted|Removed|Archived|Cancelled|Canceled|Withdrawn)$/;
const UPDATE_VERBS = /(Updated|Changed|Modified|Edited|Renamed|Rescheduled)$/;

/**
 * The rule that ties a module's emitted events to entity changes:
 *
 * 1. The entity is the one whose name is the longest prefix of the event name
 *    (`InvoiceLineAdded` → `InvoiceLine`, `AppointmentBooked` → `Appointment`); when none is, the
 *    module's first entity (`PaymentReceived` in a module whose first entity is `Invoice`).
 * 2. The action is read from the verb after that: `…Deleted/Removed/Archived/Cancelled/Withdrawn` →
 *    delete, `…Updated/Changed/Modified/Edited/Renamed/Rescheduled` → update, anything else
 *    (`Created`, `Booked`, `Placed`, `Received`, `Sent`…) → create.
 *
 * A module without entities emits nothing automatically (its events are listed, not wired).
 */
export function mapEmittedEvents(module: BlueprintModule): EmittedEvent[] {
  if (module.entities.length === 0) return [];
  const names = module.entities.map((entity) => entity.name);
  return module.events.emits.map((type) => {
    const base = type.replace(/\.v[0-9]+$/, '');
    const entity = names.filter((name) => base.startsWith(name)).sort((a, b) => b.length - a.length)[0] ?? names[0];
    return { type, entity, action: actionOf(base) };
  });
}

function actionOf(base: string): EntityAction {
  if (DELETE_VERBS.test(base)) return 'delete';
  if (UPDATE_VERBS.test(base)) return 'update';
  return 'create';
}
