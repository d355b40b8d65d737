import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  ajv.addKeyword('x-factory');
  return ajv;
}

/**
 * Every failure of an event schema given as JSON text: it must compile in ajv (2020-12, strict,
 * with formats), accept the given valid sample and reject the sample with a different `type` — the
 * envelope pins each schema to its one event type.
 */
export function validateEventSchemaText(text: string, sample: Record<string, unknown>): string[] {
  let schema: Record<string, unknown>;
  try {
    schema = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    return [`not JSON: ${(error as Error).message}`];
  }
  let validate;
  try {
    validate = newAjv().compile(schema);
  } catch (error) {
    return [`does not compile: ${(error as Error).message}`];
  }
  const failures: string[] = [];
  if (!validate(sample)) failures.push(`rejects its sample event: ${newAjv().errorsText(validate.errors, { dataVar: 'event' })}`);
  if (validate({ ...sample, type: `${String(sample.type)}.other` })) failures.push('accepts an event of another type');
  return failures;
}

/** Whether an event is valid against an event schema given as JSON text; the errors when not. */
export function checkEvent(schemaText: string, event: unknown): { valid: boolean; errors: string[] } {
  const validate = newAjv().compile(JSON.parse(schemaText) as Record<string, unknown>);
  const valid = validate(event);
  return { valid, errors: (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? error.keyword}`) };
}
