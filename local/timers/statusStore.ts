import type { Db } from '../db';
import type { TimerSchedule } from './ncrontab';

/** What the schedule monitor keeps per timer function (Azure's ScheduleStatus). */
export interface ScheduleStatus {
  /** The last occurrence that ran; undefined until one has. */
  last?: Date;
  /** The occurrence expected next. */
  next: Date;
  /** When this record was last computed. */
  lastUpdated: Date;
}

/** A stored status and the schedule it was computed for. */
export interface StoredStatus extends ScheduleStatus {
  schedule: string;
  timeZone: string | undefined;
}

/** Creates the `timer_status` table (one row per timer function, ISO-8601 UTC strings). */
export function migrateTimerTables(db: Db): void {
  db.exec(`CREATE TABLE IF NOT EXISTS timer_status (
    function_name TEXT PRIMARY KEY,
    schedule TEXT NOT NULL,
    time_zone TEXT,
    last TEXT,
    next TEXT NOT NULL,
    last_updated TEXT NOT NULL
  )`);
}

interface StatusRow {
  schedule: string;
  time_zone: string | null;
  last: string | null;
  next: string;
  last_updated: string;
}

/** Reads and writes timer schedule status in the host's SQLite. */
export class TimerStatusStore {
  private readonly select;
  private readonly upsert;

  constructor(db: Db) {
    this.select = db.prepare<[string], StatusRow>('SELECT schedule, time_zone, last, next, last_updated FROM timer_status WHERE function_name = ?');
    this.upsert = db.prepare<[string, string, string | null, string | null, string, string]>(
      `INSERT INTO timer_status (function_name, schedule, time_zone, last, next, last_updated) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (function_name) DO UPDATE SET schedule = excluded.schedule, time_zone = excluded.time_zone,
         last = excluded.last, next = excluded.next, last_updated = excluded.last_updated`,
    );
  }

  get(functionName: string): StoredStatus | undefined {
    const row = this.select.get(functionName);
    if (!row) return undefined;
    const next = new Date(row.next);
    const lastUpdated = new Date(row.last_updated);
    const last = row.last ? new Date(row.last) : undefined;
    if (Number.isNaN(next.getTime()) || Number.isNaN(lastUpdated.getTime()) || (last && Number.isNaN(last.getTime()))) return undefined;
    return { schedule: row.schedule, timeZone: row.time_zone ?? undefined, last, next, lastUpdated };
  }

  save(functionName: string, schedule: TimerSchedule, status: ScheduleStatus): void {
    this.upsert.run(functionName, schedule.expression, schedule.timeZone ?? null, status.last?.toISOString() ?? null, status.next.toISOString(), status.lastUpdated.toISOString());
  }
}
