// Kazakhstan runs on one fixed offset, UTC+5, with no daylight saving (since 1 March 2024),
// so local wall-clock arithmetic is plain arithmetic on a shifted timestamp.
export const KZ_OFFSET_MINUTES = 300;
const OFFSET_MS = KZ_OFFSET_MINUTES * 60_000;
const DAY_MS = 86_400_000;

/** A calendar day in Kazakhstan, as "YYYY-MM-DD". */
export type DayKey = string;

export interface LocalParts {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  /** minutes since local midnight */
  minuteOfDay: number;
}

export function localParts(at: Date): LocalParts {
  const shifted = new Date(at.getTime() + OFFSET_MS);
  const hour = shifted.getUTCHours();
  const minute = shifted.getUTCMinutes();
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour,
    minute,
    weekday: shifted.getUTCDay(),
    minuteOfDay: hour * 60 + minute,
  };
}

export function dayKeyOf(at: Date): DayKey {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant of a local wall-clock time on a day. */
export function atLocal(day: DayKey, minuteOfDay: number): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - OFFSET_MS + minuteOfDay * 60_000);
}

export function addDays(day: DayKey, n: number): DayKey {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

export function weekdayOf(day: DayKey): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** ISO 8601 with the +05:00 offset, e.g. 2026-03-05T17:00:00+05:00. */
export function toKzIso(at: Date): string {
  const p = localParts(at);
  const seconds = new Date(at.getTime() + OFFSET_MS).getUTCSeconds();
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(seconds)}+05:00`;
}

/** dd.mm.yyyy of the Kazakhstan calendar day. */
export function formatDay(at: Date): string {
  const p = localParts(at);
  return `${pad(p.day)}.${pad(p.month)}.${p.year}`;
}

export function formatClock(at: Date): string {
  const p = localParts(at);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

export function parseClock(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new Error(`not a time of day: ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** "dd.mm.yyyy" (also with / or - as separators) as a day, if it is a real date. */
export function parseDay(text: string): DayKey | undefined {
  const m = /^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s*$/.exec(text);
  return m ? realDay(m[3]!, m[2]!, m[1]!) : undefined;
}

/** "yyyy-mm-dd" as a day, if it is a real date. */
export function parseIsoDay(text: string): DayKey | undefined {
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/.exec(text);
  return m ? realDay(m[1]!, m[2]!, m[3]!) : undefined;
}

function realDay(year: string, month: string, day: string): DayKey | undefined {
  const key = `${year}-${pad(Number(month))}-${pad(Number(day))}`;
  const parsed = new Date(`${key}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== key ? undefined : key;
}
