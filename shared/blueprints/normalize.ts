/**
 * The normalizations the generators apply to blueprint names. They live here, beside the rules that
 * keep names apart after them (`names.ts`), and the skills use these same functions
 * (`shared/skills/naming.ts` re-exports them), so validation and generation cannot drift apart.
 */

/** `BookingService` → `booking-service`, `InvoiceLine` → `invoice-line`, `ORDERService` → `order-service`. */
export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/** English plural of a PascalCase or kebab-case word's last part: `Category` → `Categories`. */
export function pluralize(word: string): string {
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${word}es`;
  return `${word}s`;
}

/** The URL segment and Cosmos container id of an entity's collection: `InvoiceLine` → `invoice-lines`. */
export function collectionSegment(entity: string): string {
  return kebabCase(pluralize(entity));
}

/** `AppointmentBooked.v1` → `AppointmentBooked`. */
export function eventBaseName(event: string): string {
  return event.replace(/\.v[0-9]+$/, '');
}

/** `AppointmentBooked.v1` → `appointment-booked-v1`: a Service Bus topic or file-friendly name. */
export function eventSlug(event: string): string {
  return `${kebabCase(eventBaseName(event))}-${event.slice(eventBaseName(event).length + 1)}`;
}

/** The component schemas the OpenAPI contract of a module declares for one entity. */
export function openApiSchemaNames(entity: string): string[] {
  return [entity, `${entity}Input`, `${entity}Page`];
}

/** Component schemas every module's OpenAPI contract declares besides the entities' own. */
export const OPENAPI_FIXED_SCHEMAS = ['Problem'] as const;
