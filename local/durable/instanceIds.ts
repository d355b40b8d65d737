/**
 * Azure's rule for orchestration instance ids (Durable extension `DurableClient.StartNewAsync`):
 * not starting with `@`, none of `/ \ # ?` nor a control character (Unicode Cc), at most 256
 * characters. An empty id means "generate one". Returns the reason an id breaks the rule, or
 * undefined when it is valid.
 */
export const MAX_INSTANCE_ID_LENGTH = 256;

export function instanceIdProblem(instanceId: string): string | undefined {
  if (instanceId.startsWith('@')) return 'Orchestration instance ids must not start with @.';
  if (/[/\\#?\p{Cc}]/u.test(instanceId)) return 'Orchestration instance ids must not contain /, \\, #, ?, or control characters.';
  if (instanceId.length > MAX_INSTANCE_ID_LENGTH) return `Instance ID lengths must not exceed ${MAX_INSTANCE_ID_LENGTH} characters.`;
  return undefined;
}
