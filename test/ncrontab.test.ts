import { NEVER, parseSchedule } from '../local/timers/ncrontab';
import { resolveTimeZone } from '../local/timers/timeZone';

/** The next `count` occurrences after `from`, as ISO strings. */
function occurrences(expression: string, from: string, count: number, timeZone?: string): string[] {
  const schedule = parseSchedule(expression, { timeZone });
  const result: string[] = [];
  let at = new Date(from);
  for (let i = 0; i < count; i++) {
    at = schedule.next(at);
    result.push(at.toISOString().replace('.000Z', 'Z'));
  }
  return result;
}

describe('NCRONTAB schedules', () => {
  it('steps over every field ("*/15" seconds, "0 */5" minutes)', () => {
    expect(occurrences('*/15 * * * * *', '2024-01-01T00:00:07Z', 4)).toEqual([
      '2024-01-01T00:00:15Z',
      '2024-01-01T00:00:30Z',
      '2024-01-01T00:00:45Z',
      '2024-01-01T00:01:00Z',
    ]);
    expect(occurrences('0 */5 * * * *', '2024-01-01T23:58:00Z', 2)).toEqual(['2024-01-02T00:00:00Z', '2024-01-02T00:05:00Z']);
  });

  it('is strictly after the given instant', () => {
    expect(occurrences('*/1 * * * * *', '2024-01-01T00:00:00Z', 2)).toEqual(['2024-01-01T00:00:01Z', '2024-01-01T00:00:02Z']);
    expect(occurrences('*/1 * * * * *', '2024-01-01T00:00:00.500Z', 1)).toEqual(['2024-01-01T00:00:01Z']);
  });

  it('handles ranges with steps and lists', () => {
    expect(occurrences('10-40/10 * * * * *', '2024-01-01T00:00:00Z', 5)).toEqual([
      '2024-01-01T00:00:10Z',
      '2024-01-01T00:00:20Z',
      '2024-01-01T00:00:30Z',
      '2024-01-01T00:00:40Z',
      '2024-01-01T00:01:10Z',
    ]);
    expect(occurrences('0 0 8,12,18 * * *', '2024-01-01T12:00:00Z', 3)).toEqual(['2024-01-01T18:00:00Z', '2024-01-02T08:00:00Z', '2024-01-02T12:00:00Z']);
    expect(occurrences('5/20 0 0 * * *', '2024-01-01T00:00:00Z', 3)).toEqual(['2024-01-01T00:00:05Z', '2024-01-01T00:00:25Z', '2024-01-01T00:00:45Z']);
  });

  it('reads month and day names (Jan, Mon-Fri, January)', () => {
    // 9:30 every Monday in January (2024-01-01 is a Monday).
    expect(occurrences('0 30 9 * Jan Mon', '2024-01-01T10:00:00Z', 4)).toEqual([
      '2024-01-08T09:30:00Z',
      '2024-01-15T09:30:00Z',
      '2024-01-22T09:30:00Z',
      '2024-01-29T09:30:00Z',
    ]);
    expect(occurrences('0 30 9 * Jan Mon', '2024-01-29T09:30:00Z', 1)).toEqual(['2025-01-06T09:30:00Z']);
    // Hourly from 9 to 17 on weekdays: Friday evening → Monday morning.
    expect(occurrences('0 0 9-17 * * Mon-Fri', '2024-01-05T17:00:00Z', 2)).toEqual(['2024-01-08T09:00:00Z', '2024-01-08T10:00:00Z']);
    expect(occurrences('0 0 0 1 january,JULY *', '2024-01-01T00:00:00Z', 2)).toEqual(['2024-07-01T00:00:00Z', '2025-01-01T00:00:00Z']);
  });

  it('takes 0 and 7 for Sunday, and Fri-Sun wraps to 7', () => {
    const sundays = ['2024-01-07T12:00:00Z', '2024-01-14T12:00:00Z'];
    expect(occurrences('0 0 12 * * 7', '2024-01-01T00:00:00Z', 2)).toEqual(sundays);
    expect(occurrences('0 0 12 * * 0', '2024-01-01T00:00:00Z', 2)).toEqual(sundays);
    expect(occurrences('0 0 12 * * Sun', '2024-01-01T00:00:00Z', 2)).toEqual(sundays);
    expect(occurrences('0 0 0 * * Fri-Sun', '2024-01-01T00:00:00Z', 4)).toEqual([
      '2024-01-05T00:00:00Z',
      '2024-01-06T00:00:00Z',
      '2024-01-07T00:00:00Z',
      '2024-01-12T00:00:00Z',
    ]);
    expect(occurrences('0 0 0 * * 5-7', '2024-01-01T00:00:00Z', 3)).toEqual(['2024-01-05T00:00:00Z', '2024-01-06T00:00:00Z', '2024-01-07T00:00:00Z']);
  });

  it('requires both day and day-of-week when both are given, as NCrontab does', () => {
    expect(occurrences('0 0 0 13 * Fri', '2024-01-01T00:00:00Z', 2)).toEqual(['2024-09-13T00:00:00Z', '2024-12-13T00:00:00Z']);
  });

  it('accepts a schedule that never occurs (31 February), as Azure does, and never gives an occurrence', () => {
    const schedule = parseSchedule('0 0 0 31 2 *');
    expect(schedule.next(new Date('2024-01-01T00:00:00Z'))).toBe(NEVER);
    expect(schedule.next(NEVER)).toBe(NEVER);
    expect(parseSchedule('0 0 0 30 Feb *', { timeZone: 'Europe/Berlin' }).next(new Date('2024-01-01T00:00:00Z'))).toBe(NEVER);
  });

  it('finds rare days (29 February) and month ends', () => {
    expect(occurrences('0 0 0 29 Feb *', '2024-03-01T00:00:00Z', 1)).toEqual(['2028-02-29T00:00:00Z']);
    expect(occurrences('0 0 0 31 * *', '2024-01-31T00:00:00Z', 2)).toEqual(['2024-03-31T00:00:00Z', '2024-05-31T00:00:00Z']);
  });

  it('accepts five fields (seconds = 0)', () => {
    expect(occurrences('30 2 * * *', '2024-01-01T03:00:00Z', 2)).toEqual(['2024-01-02T02:30:00Z', '2024-01-03T02:30:00Z']);
    expect(occurrences('*/20 * * * *', '2024-01-01T00:00:00Z', 2)).toEqual(['2024-01-01T00:20:00Z', '2024-01-01T00:40:00Z']);
  });

  it('accepts the TimeSpan form as a fixed interval', () => {
    const s = parseSchedule('00:00:05');
    expect(s.kind).toBe('interval');
    expect(occurrences('00:00:05', '2024-01-01T00:00:03Z', 2)).toEqual(['2024-01-01T00:00:08Z', '2024-01-01T00:00:13Z']);
    expect(occurrences('01:30:00', '2024-01-01T00:00:00Z', 1)).toEqual(['2024-01-01T01:30:00Z']);
    expect(occurrences('1.02:00:00', '2024-01-01T00:00:00Z', 1)).toEqual(['2024-01-02T02:00:00Z']);
    // As in .NET, a first number of 24 or more means dd:hh:mm.
    expect(occurrences('25:06:00', '2024-01-01T00:00:00Z', 1)).toEqual(['2024-01-26T06:00:00Z']);
  });

  it('resolves %SettingName% from the environment', () => {
    const s = parseSchedule('%MY_TIMER_SCHEDULE%', { env: { MY_TIMER_SCHEDULE: '*/10 * * * * *' } });
    expect(s.expression).toBe('*/10 * * * * *');
    expect(s.next(new Date('2024-01-01T00:00:01Z')).toISOString()).toBe('2024-01-01T00:00:10.000Z');
    expect(() => parseSchedule('%NOT_THERE%', { functionName: 'nightly', env: {} })).toThrow(
      'Timer function "nightly" has an invalid schedule "%NOT_THERE%": the app setting "NOT_THERE" is not set.',
    );
  });

  it.each([
    ['* * * *', 'found 4'],
    ['* * * * * * *', 'found 7'],
    ['60 * * * * *', 'outside 0-59'],
    ['* * 24 * * *', 'outside 0-23'],
    ['* * * 0 * *', 'outside 1-31'],
    ['* * * * 13 *', 'outside 1-12'],
    ['* * * * * 8', 'outside 0-7'],
    ['*/0 * * * * *', 'step of zero'],
    ['5-1 * * * * *', 'runs backwards'],
    ['0 0 0 * Foo *', '"Foo"'],
    ['1,,2 * * * * *', 'not valid'],
    ['00:61:00', 'TimeSpan'],
    ['00:00:00', 'longer than zero'],
    ['every minute', 'found 2'],
    ['', 'empty'],
  ])('rejects %p naming the function and the expression', (expression, reason) => {
    let message = '';
    try {
      parseSchedule(expression, { functionName: 'myTimer' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`Timer function "myTimer" has an invalid schedule "${expression}"`);
    expect(message).toContain(reason);
  });
});

describe('NCRONTAB schedules in a time zone', () => {
  it('reads the fields on the zone wall clock', () => {
    // Paris: UTC+1 in winter, UTC+2 in summer.
    expect(occurrences('0 30 9 * * *', '2024-01-10T00:00:00Z', 1, 'Europe/Paris')).toEqual(['2024-01-10T08:30:00Z']);
    expect(occurrences('0 30 9 * * *', '2024-07-10T00:00:00Z', 1, 'Europe/Paris')).toEqual(['2024-07-10T07:30:00Z']);
    expect(occurrences('0 0 9 * * Mon-Fri', '2024-03-08T20:00:00Z', 1, 'America/New_York')).toEqual(['2024-03-11T13:00:00Z']);
  });

  it('fires a wall time the clock skips at the jump (spring forward)', () => {
    // 2024-03-31 in Paris: 02:00 CET becomes 03:00 CEST (01:00Z).
    expect(occurrences('0 30 2 * * *', '2024-03-30T12:00:00Z', 2, 'Europe/Paris')).toEqual(['2024-03-31T01:00:00Z', '2024-04-01T00:30:00Z']);
    expect(occurrences('0 0 * * * *', '2024-03-31T00:30:00Z', 2, 'Europe/Paris')).toEqual(['2024-03-31T01:00:00Z', '2024-03-31T02:00:00Z']);
  });

  it('runs a repeated wall time once, but every-hour schedules in both passes (fall back)', () => {
    // 2024-10-27 in Paris: 03:00 CEST becomes 02:00 CET (01:00Z); 02:00-02:59 comes twice.
    expect(occurrences('0 30 2 * * *', '2024-10-26T12:00:00Z', 2, 'Europe/Paris')).toEqual(['2024-10-27T00:30:00Z', '2024-10-28T01:30:00Z']);
    expect(occurrences('0 30 2 * * *', '2024-10-27T01:10:00Z', 1, 'Europe/Paris')).toEqual(['2024-10-28T01:30:00Z']);
    expect(occurrences('0 */30 * * * *', '2024-10-27T00:15:00Z', 4, 'Europe/Paris')).toEqual([
      '2024-10-27T00:30:00Z',
      '2024-10-27T01:00:00Z',
      '2024-10-27T01:30:00Z',
      '2024-10-27T02:00:00Z',
    ]);
  });

  it('takes the zone from WEBSITE_TIME_ZONE, then TZ; unknown zones fall back to UTC', () => {
    expect(resolveTimeZone({ WEBSITE_TIME_ZONE: 'Europe/Paris', TZ: 'Asia/Tokyo' })).toEqual({ zone: 'Europe/Paris' });
    expect(resolveTimeZone({ TZ: 'Asia/Tokyo' })).toEqual({ zone: 'Asia/Tokyo' });
    expect(resolveTimeZone({ TZ: 'UTC' })).toEqual({ zone: undefined });
    expect(resolveTimeZone({})).toEqual({ zone: undefined });
    const bad = resolveTimeZone({ WEBSITE_TIME_ZONE: 'Eastern Standard Time' });
    expect(bad.zone).toBeUndefined();
    expect(bad.warning).toContain('WEBSITE_TIME_ZONE');
  });
});
