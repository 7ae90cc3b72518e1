import { addDays, atLocal, dayKeyOf, localParts, parseClock, weekdayOf, type DayKey } from "./kz-time.js";
import type { WorkingTime, YearData } from "./schema.js";

export interface CalendarOptions {
  /** Told once per year that has no data file and falls back to the holidays law. */
  onFallbackYear?: (year: number) => void;
}

interface YearTable {
  daysOff: Set<DayKey>;
  workingWeekends: Set<DayKey>;
}

/**
 * Working time of the provider in Kazakhstan: working weekdays minus the year's official days
 * off, plus weekend days declared working by transfer, inside the daily working windows.
 */
export class WorkingCalendar {
  private readonly years = new Map<number, YearTable>();
  private readonly windows: Array<[number, number]>;
  readonly dayEnd: number;
  readonly dayStart: number;

  constructor(
    private readonly time: WorkingTime,
    yearData: YearData[],
    private readonly options: CalendarOptions = {},
  ) {
    for (const y of yearData) this.years.set(y.year, { daysOff: new Set(y.daysOff), workingWeekends: new Set(y.workingWeekends) });
    this.windows = time.windows.map(([a, b]) => [parseClock(a), parseClock(b)]);
    this.dayEnd = this.windows[this.windows.length - 1]![1];
    this.dayStart = this.windows[0]![0];
  }

  private table(year: number): YearTable {
    let table = this.years.get(year);
    if (!table) {
      table = fallbackYear(this.time, year);
      this.years.set(year, table);
      this.options.onFallbackYear?.(year);
    }
    return table;
  }

  isWorkingDay(day: DayKey): boolean {
    const table = this.table(Number(day.slice(0, 4)));
    if (table.workingWeekends.has(day)) return true;
    if (table.daysOff.has(day)) return false;
    return this.time.workingWeekdays.includes(weekdayOf(day));
  }

  nextWorkingDay(day: DayKey): DayKey {
    let d = addDays(day, 1);
    while (!this.isWorkingDay(d)) d = addDays(d, 1);
    return d;
  }

  previousWorkingDay(day: DayKey): DayKey {
    let d = addDays(day, -1);
    while (!this.isWorkingDay(d)) d = addDays(d, -1);
    return d;
  }

  /** The working day n working days before `day` (for reminders ahead of a deadline). */
  workingDaysBefore(day: DayKey, n: number): DayKey {
    let d = day;
    for (let i = 0; i < n; i++) d = this.previousWorkingDay(d);
    return d;
  }

  /** Working days after `from`'s day up to and including `to`'s day (0 when the same day or earlier). */
  workingDaysBetween(from: Date, to: Date): number {
    const end = dayKeyOf(to);
    let day = dayKeyOf(from);
    let n = 0;
    while (day < end) {
      day = addDays(day, 1);
      if (this.isWorkingDay(day)) n++;
    }
    return n;
  }

  /** "N working days from T": the end of the working day of the N-th working day after T's day. */
  addWorkingDays(from: Date, n: number): Date {
    let day = dayKeyOf(from);
    for (let i = 0; i < n; i++) day = this.nextWorkingDay(day);
    return atLocal(day, this.dayEnd);
  }

  /**
   * "N minutes/hours from T": working time inside the working windows; when T falls outside
   * a window the count starts at the next window's opening.
   */
  addWorkingMinutes(from: Date, minutes: number): Date {
    let day = dayKeyOf(from);
    let cursor = localParts(from).minuteOfDay;
    let left = minutes;
    for (;;) {
      if (this.isWorkingDay(day)) {
        for (const [start, end] of this.windows) {
          if (cursor >= end) continue;
          const begin = Math.max(cursor, start);
          if (begin + left <= end) return atLocal(day, begin + left);
          left -= end - begin;
          cursor = end;
        }
      }
      day = addDays(day, 1);
      cursor = 0;
    }
  }
}

/** A year without a data file: the fixed holidays of the law, moved off weekends where the law says so. */
export function fallbackYear(time: WorkingTime, year: number): YearTable {
  const daysOff = new Set<DayKey>();
  const isWeekend = (d: DayKey) => !time.workingWeekdays.includes(weekdayOf(d));
  const holidays = time.fixedHolidays
    .filter((h) => (h.fromYear === undefined || year >= h.fromYear) && (h.untilYear === undefined || year <= h.untilYear))
    .map((h) => ({ day: `${year}-${h.date}`, substitute: h.substitute }))
    .sort((a, b) => a.day.localeCompare(b.day));
  const holidayDays = new Set(holidays.map((h) => h.day));
  for (const h of holidays) {
    if (!isWeekend(h.day)) {
      daysOff.add(h.day);
    } else if (h.substitute) {
      let d = addDays(h.day, 1);
      while (isWeekend(d) || holidayDays.has(d) || daysOff.has(d)) d = addDays(d, 1);
      daysOff.add(d);
    }
  }
  return { daysOff, workingWeekends: new Set() };
}
