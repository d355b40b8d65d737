import { findTransition, zoneOffsetMs } from './timeZone';

/** A parsed timer schedule. */
export interface TimerSchedule {
  /** The expression after `%Setting%` resolution. */
  readonly expression: string;
  readonly kind: 'cron' | 'interval';
  /** The IANA zone cron fields are read in; undefined for UTC and for intervals. */
  readonly timeZone: string | undefined;
  /** The first occurrence strictly after `after`; NEVER when the schedule has none (e.g. 31 February). */
  next(after: Date): Date;
}

/**
 * What `next()` answers for a schedule that never occurs (`0 0 0 31 2 *`): the largest Date.
 * Azure's NCrontab accepts such a schedule and the timer simply never fires; so does the host.
 */
export const NEVER = new Date(8.64e15);

export interface ScheduleOptions {
  /** Named in error messages ("Timer function "x" has an invalid schedule …"). */
  functionName?: string;
  /** IANA zone the cron fields are read in; UTC when undefined. Ignored by the TimeSpan form. */
  timeZone?: string;
  /** Where `%SettingName%` is looked up; process.env by default. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Parses an Azure Functions timer schedule: NCRONTAB with six fields
 * (`{second} {minute} {hour} {day} {month} {day-of-week}`) or five (seconds = 0), or the
 * TimeSpan form (`hh:mm:ss`, `d.hh:mm:ss`, `dd:hh:mm` when the first number is 24 or more) for a
 * fixed interval. `%SettingName%` is replaced by that setting first. Throws an error naming the
 * function and the expression when it is not valid.
 */
export function parseSchedule(expression: string, options: ScheduleOptions = {}): TimerSchedule {
  try {
    const resolved = resolveSettings(expression, options.env ?? process.env).trim();
    if (resolved === '') throw new Error('it is empty');
    if (resolved.includes(':')) return new IntervalSchedule(resolved, parseTimeSpan(resolved));
    return new CronSchedule(resolved, parseCron(resolved), options.timeZone);
  } catch (error) {
    const subject = options.functionName ? `Timer function "${options.functionName}" has an invalid schedule` : 'Invalid timer schedule';
    throw new Error(`${subject} "${expression}": ${(error as Error).message}.`);
  }
}

/** Replaces each `%Name%` by the setting's value. */
export function resolveSettings(expression: string, env: NodeJS.ProcessEnv): string {
  return expression.replace(/%([^%\s]+)%/g, (_, name: string) => {
    const value = env[name];
    if (value === undefined) throw new Error(`the app setting "${name}" is not set`);
    return value;
  });
}

// ---------------------------------------------------------------- TimeSpan form

function parseTimeSpan(text: string): number {
  let days = 0;
  let hours: number;
  let minutes: number;
  let seconds = 0;
  let m = /^(\d+)\.(\d+):(\d+)(?::(\d+))?$/.exec(text);
  if (m) {
    [days, hours, minutes, seconds] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
  } else if ((m = /^(\d+):(\d+):(\d+):(\d+)$/.exec(text))) {
    [days, hours, minutes, seconds] = m.slice(1).map(Number);
  } else if ((m = /^(\d+):(\d+)(?::(\d+))?$/.exec(text))) {
    [hours, minutes, seconds] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
    // As .NET TimeSpan reads it: "24:00:00" and above is days:hours:minutes.
    if (hours >= 24) {
      if (m[3] === undefined) throw new Error(`"${text}" is not a TimeSpan`);
      [days, hours, minutes, seconds] = [hours, minutes, seconds, 0];
    }
  } else {
    throw new Error(`"${text}" is not a TimeSpan (hh:mm:ss)`);
  }
  if (hours > 23 || minutes > 59 || seconds > 59) throw new Error(`"${text}" is not a TimeSpan: hours 0-23, minutes and seconds 0-59`);
  const ms = (((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000;
  if (ms <= 0) throw new Error('the interval must be longer than zero');
  return ms;
}

class IntervalSchedule implements TimerSchedule {
  readonly kind = 'interval';
  readonly timeZone = undefined;
  constructor(
    readonly expression: string,
    readonly intervalMs: number,
  ) {}

  next(after: Date): Date {
    return new Date(after.getTime() + this.intervalMs);
  }
}

// ---------------------------------------------------------------- NCRONTAB form

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  /** Names for min, min+1, … (matched on their first three letters or in full). */
  names?: string[];
}

const FIELDS: FieldSpec[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 0, max: 7, names: DAYS },
];

/** Allowed values of each field, indexed by value. */
interface CronFields {
  seconds: boolean[];
  minutes: boolean[];
  hours: boolean[];
  days: boolean[];
  months: boolean[];
  weekdays: boolean[];
}

function parseCron(text: string): CronFields {
  const parts = text.split(/\s+/);
  if (parts.length === 5) parts.unshift('0');
  if (parts.length !== 6) {
    throw new Error(`expected six fields "{second} {minute} {hour} {day} {month} {day-of-week}" (or five, without seconds) but found ${parts.length}`);
  }
  const [seconds, minutes, hours, days, months, weekdays] = parts.map((p, i) => parseField(p, FIELDS[i]));
  if (weekdays[7]) weekdays[0] = true;
  return { seconds, minutes, hours, days, months, weekdays };
}

function parseField(text: string, spec: FieldSpec): boolean[] {
  const allowed = new Array<boolean>(spec.max + 1).fill(false);
  for (const item of text.split(',')) {
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(item);
    if (!m) throw new Error(`the ${spec.name} field "${text}" is not valid`);
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) throw new Error(`the ${spec.name} field "${text}" has a step of zero`);
    let low: number;
    let high: number;
    if (m[1] === '*') {
      [low, high] = [spec.min, spec.name === 'day-of-week' ? 6 : spec.max];
    } else if (m[1].includes('-')) {
      const bounds = m[1].split('-');
      if (bounds.length !== 2) throw new Error(`the ${spec.name} field "${text}" is not valid`);
      low = fieldValue(bounds[0], spec, text);
      high = fieldValue(bounds[1], spec, text);
      if (spec.name === 'day-of-week' && high === 0 && low > 0) high = 7; // Fri-Sun
    } else {
      low = fieldValue(m[1], spec, text);
      high = m[2] === undefined ? low : spec.name === 'day-of-week' ? 6 : spec.max; // "a/n" runs from a to the end
    }
    if (low > high) throw new Error(`the ${spec.name} field "${text}" has a range that runs backwards`);
    for (let v = low; v <= high; v += step) allowed[v] = true;
  }
  return allowed;
}

function fieldValue(token: string, spec: FieldSpec, text: string): number {
  let value: number;
  if (/^\d+$/.test(token)) {
    value = Number(token);
  } else {
    const lower = token.toLowerCase();
    const index = spec.names?.findIndex((n) => n === lower || (lower.length === 3 && n.startsWith(lower))) ?? -1;
    if (index < 0) throw new Error(`the ${spec.name} field "${text}" has "${token}", which is not a number${spec.names ? ' or a name' : ''}`);
    value = spec.min + index;
  }
  if (value < spec.min || value > spec.max) throw new Error(`the ${spec.name} field "${text}" has ${token}, outside ${spec.min}-${spec.max}`);
  return value;
}

const HOUR_MS = 3600 * 1000;

class CronSchedule implements TimerSchedule {
  readonly kind = 'cron';
  /** Every hour allowed: such schedules also fire in the hour a DST change repeats. */
  private readonly everyHour: boolean;

  constructor(
    readonly expression: string,
    private readonly fields: CronFields,
    readonly timeZone: string | undefined,
  ) {
    this.everyHour = fields.hours.every(Boolean);
  }

  next(after: Date): Date {
    const t = after.getTime();
    if (Number.isNaN(t)) throw new Error('next(): invalid date');
    if (t >= NEVER.getTime()) return NEVER;
    const result = this.timeZone ? this.nextInZone(t, this.timeZone) : nextWallTime(this.fields, t);
    return result === undefined ? NEVER : new Date(result);
  }

  /**
   * Cron fields are read on the zone's wall clock. A wall time skipped by a DST change fires at
   * the instant the clock jumps; a wall time repeated when the clock goes back fires once, in
   * its first pass — unless the schedule names every hour, which then runs in both passes.
   */
  private nextInZone(after: number, zone: string): number | undefined {
    let cursor = after;
    if (!this.everyHour) {
      const now = Math.floor(after / 1000) * 1000;
      const back = findTransition(zone, now - 3 * HOUR_MS, now);
      if (back && back.after < back.before && cursor < back.at + back.before - back.after) {
        cursor = back.at + back.before - back.after - 1; // inside the repeated hour: its wall times have run
      }
    }
    for (let i = 0; i < 100; i++) {
      const first = Math.floor(cursor / 1000) * 1000 + 1000;
      const offset = zoneOffsetMs(zone, first);
      const wall = nextWallTime(this.fields, cursor + offset);
      if (wall === undefined) return undefined;
      const candidate = wall - offset;
      const change = findTransition(zone, first, candidate);
      if (!change) return candidate;
      if (change.after > change.before) {
        // Clock jumps forward at change.at: wall times [at+before, at+after) do not exist.
        if (wall < change.at + change.after) return change.at;
        cursor = change.at - 1;
      } else {
        // Clock goes back at change.at: wall times [at+after, at+before) come again.
        cursor = this.everyHour ? change.at - 1 : change.at + change.before - change.after - 1;
      }
    }
    return undefined;
  }
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function nextAllowed(allowed: boolean[], from: number): number | undefined {
  for (let v = from; v < allowed.length; v++) if (allowed[v]) return v;
  return undefined;
}

/**
 * The first whole second strictly after `wallMs` (a wall-clock time written as if it were UTC)
 * whose fields match. Day and day-of-week must both match, as in NCrontab.
 */
function nextWallTime(fields: CronFields, wallMs: number): number | undefined {
  const start = new Date(Math.floor(wallMs / 1000) * 1000 + 1000);
  let [year, month, day] = [start.getUTCFullYear(), start.getUTCMonth() + 1, start.getUTCDate()];
  let [hour, minute, second] = [start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds()];
  const lastYear = year + 400;
  while (year <= lastYear) {
    if (second > 59) [second, minute] = [0, minute + 1];
    if (minute > 59) [minute, hour] = [0, hour + 1];
    if (hour > 23) [hour, day] = [0, day + 1];
    if (day > daysIn(year, month)) [day, month] = [1, month + 1];
    if (month > 12) [month, year] = [1, year + 1];
    if (!fields.months[month]) {
      [month, day, hour, minute, second] = [month + 1, 1, 0, 0, 0];
      continue;
    }
    if (!fields.days[day] || !fields.weekdays[new Date(Date.UTC(year, month - 1, day)).getUTCDay()]) {
      [day, hour, minute, second] = [day + 1, 0, 0, 0];
      continue;
    }
    const h = nextAllowed(fields.hours, hour);
    if (h === undefined) {
      [day, hour, minute, second] = [day + 1, 0, 0, 0];
      continue;
    }
    if (h !== hour) [hour, minute, second] = [h, 0, 0];
    const m = nextAllowed(fields.minutes, minute);
    if (m === undefined) {
      [hour, minute, second] = [hour + 1, 0, 0];
      continue;
    }
    if (m !== minute) [minute, second] = [m, 0];
    const s = nextAllowed(fields.seconds, second);
    if (s === undefined) {
      [minute, second] = [minute + 1, 0];
      continue;
    }
    return Date.UTC(year, month - 1, day, hour, minute, s);
  }
  return undefined;
}
