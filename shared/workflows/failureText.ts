/** The most of a failure message a tenant sees (characters). */
const MAX_FAILURE_LENGTH = 2000;

/** A stack frame line: `    at fn (/srv/app/dist/x.js:1:2)` or `    at /srv/app/x.js:1:2`. */
const STACK_FRAME = /^\s*at\s.+$/gm;
/** Absolute server paths: POSIX (`/home/…`, `/srv/…`), `file://` URLs and Windows drives, with any `:line:col`. */
const SERVER_PATH = /(?:file:\/\/\/?|(?<![\w.])[A-Za-z]:\\|(?<![\w.:/])\/(?=[\w.-]+\/))[^\s'"`),;]*/g;

/**
 * A failure message fit to show a tenant (issue 9 §7): no stack trace, no server paths (replaced by
 * `<path>`), blank lines collapsed, at most 2000 characters. The full error stays in the host's logs.
 */
export function toTenantFailure(message: string): string {
  const cleaned = message
    .replace(STACK_FRAME, '')
    .replace(SERVER_PATH, '<path>')
    .replace(/\n{2,}/g, '\n')
    .trim();
  return cleaned.length <= MAX_FAILURE_LENGTH ? cleaned : `${cleaned.slice(0, MAX_FAILURE_LENGTH - 1)}…`;
}
