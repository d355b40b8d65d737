/** A calendar month in UTC, `YYYY-MM`. */
export type Month = string;
/** A calendar day in UTC, `YYYY-MM-DD`. */
export type Day = string;

export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
export const DAY_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function toMonth(at: Date | string): Month {
  return toIso(at).slice(0, 7);
}

export function toDay(at: Date | string): Day {
  return toIso(at).slice(0, 10);
}

/** The month before `month`. */
export function toPreviousMonth(month: Month): Month {
  const [year, number] = month.split('-').map(Number);
  return number === 1 ? `${year - 1}-12` : `${year}-${String(number - 1).padStart(2, '0')}`;
}

/** True for a real calendar day (rejects `2025-02-30`). */
export function isCalendarDay(day: string): boolean {
  return DAY_PATTERN.test(day) && new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day;
}

function toIso(at: Date | string): string {
  return (typeof at === 'string' ? new Date(at) : at).toISOString();
}
