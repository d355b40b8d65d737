/** The zone timer schedules are evaluated in: undefined means UTC. */
export interface ScheduleTimeZone {
  zone: string | undefined;
  /** Set when a configured zone was not understood and UTC is used instead. */
  warning?: string;
}

/**
 * Reads the schedule time zone from `WEBSITE_TIME_ZONE`, then `TZ` (IANA names such as
 * `Europe/Paris`). Anything Intl does not know falls back to UTC with a warning.
 */
export function resolveTimeZone(env: NodeJS.ProcessEnv = process.env): ScheduleTimeZone {
  const setting = env.WEBSITE_TIME_ZONE ? 'WEBSITE_TIME_ZONE' : env.TZ ? 'TZ' : undefined;
  if (!setting) return { zone: undefined };
  const raw = env[setting]!.trim().replace(/^:/, '');
  let zone: string;
  try {
    zone = new Intl.DateTimeFormat('en-US', { timeZone: raw }).resolvedOptions().timeZone;
  } catch {
    return { zone: undefined, warning: `${setting}="${raw}" is not an IANA time zone; timer schedules use UTC.` };
  }
  return { zone: /^(Etc\/)?(UTC|UCT|GMT|Universal|Zulu)$/i.test(zone) ? undefined : zone };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Offset of `zone` from UTC at the instant `ms` (whole seconds), in milliseconds: wall = instant + offset. */
export function zoneOffsetMs(zone: string, ms: number): number {
  const instant = Math.floor(ms / 1000) * 1000;
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute, parts.second);
  return wall - instant;
}

/** A change of offset: instants from `at` on use `after`, the ones before use `before`. */
export interface ZoneTransition {
  at: number;
  before: number;
  after: number;
}

/** Offsets are sampled this far apart; zones do not change offset twice within a few days. */
const SAMPLE_MS = 6 * 24 * 3600 * 1000;

/** The first offset change in (from, to], both whole seconds, or undefined. */
export function findTransition(zone: string, from: number, to: number): ZoneTransition | undefined {
  const before = zoneOffsetMs(zone, from);
  let lo = from;
  while (lo < to) {
    let hi = Math.min(lo + SAMPLE_MS, to);
    const offset = zoneOffsetMs(zone, hi);
    if (offset !== before) {
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (zoneOffsetMs(zone, mid) === before) lo = mid;
        else hi = mid;
      }
      return { at: hi, before, after: zoneOffsetMs(zone, hi) };
    }
    lo = hi;
  }
  return undefined;
}
