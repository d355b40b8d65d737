import type { z } from 'zod';
import type { FieldError } from './errors';

/** Formats an issue path the way clients read it: `body.spec.modules[0].name`. */
export function formatIssuePath(path: readonly PropertyKey[], prefix?: string): string {
  let out = prefix ?? '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}

/** Every zod issue as a field error, paths under `prefix` (e.g. `body`). */
export function toFieldErrors(issues: readonly z.core.$ZodIssue[], prefix?: string): FieldError[] {
  return issues.map((issue) => ({ path: formatIssuePath(issue.path, prefix), message: issue.message }));
}
