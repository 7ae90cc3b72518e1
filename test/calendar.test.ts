import { readFile } from "node:fs/promises";
import path from "node:path";
import { brokenCopy } from "./helpers/flows.js";
import { describe, expect, it } from "vitest";
import { calendarDataDir, loadCalendar } from "../flows/calendar/load.js";
import { toKzIso } from "../flows/calendar/kz-time.js";
import { fallbackYear } from "../flows/calendar/working-calendar.js";
import { workingTimeSchema } from "../flows/calendar/schema.js";
import { DataFileError } from "../flows/data-file.js";

const cal = loadCalendar();
const at = (iso: string) => new Date(iso);
const wd = (from: string, n: number) => toKzIso(cal.addWorkingDays(at(from), n));
const wm = (from: string, minutes: number) => toKzIso(cal.addWorkingMinutes(at(from), minutes));

describe("working days of 2026 (official days off)", () => {
  it.each([
    ["2026-03-09", false, "8 March fell on a Sunday: Monday off"],
    ["2026-03-23", false, "Nauryz"],
    ["2026-03-24", false, "Nauryz, moved from Saturday 21"],
    ["2026-03-25", false, "Nauryz, moved from Sunday 22"],
    ["2026-03-26", true, "the first working day after Nauryz"],
    ["2026-05-11", false, "9 May fell on a Saturday"],
    ["2026-05-27", false, "Kurban Ait"],
    ["2026-08-31", true, "no Constitution Day holiday in 2026"],
    ["2026-10-26", false, "Republic Day moved from Sunday"],
    ["2026-12-16", false, "Independence Day"],
    ["2026-12-19", false, "a Saturday"],
    ["2026-12-18", true, "a Friday"],
  ])("%s working: %s (%s)", (day, working) => {
    expect(cal.isWorkingDay(day)).toBe(working);
  });
});

describe("N working days from T end at 18:30 of the N-th working day after T's day", () => {
  it("from Friday before Nauryz, 1 wd is the Thursday after", () => expect(wd("2026-03-20T17:00:00+05:00", 1)).toBe("2026-03-26T18:30:00+05:00"));
  it("from a Saturday, T's own day is not counted", () => expect(wd("2026-03-21T10:00:00+05:00", 1)).toBe("2026-03-26T18:30:00+05:00"));
  it("across 1 May and the weekend", () => expect(wd("2026-04-30T12:00:00+05:00", 3)).toBe("2026-05-06T18:30:00+05:00"));
  it("across 7 May and the moved 9 May", () => expect(wd("2026-05-06T09:00:00+05:00", 2)).toBe("2026-05-12T18:30:00+05:00"));
  it("across 16 December", () => expect(wd("2026-12-15T17:00:00+05:00", 1)).toBe("2026-12-17T18:30:00+05:00"));
  it("after hours on the day itself still counts from the next day", () => expect(wd("2026-03-03T23:59:00+05:00", 1)).toBe("2026-03-04T18:30:00+05:00"));
  it("a late-evening UTC time that is already the next day in Astana", () => expect(wd("2026-03-03T20:00:00Z", 1)).toBe("2026-03-05T18:30:00+05:00"));
  it("a weekend worked by transfer counts (Sunday 5 Jan 2025)", () => expect(wd("2025-01-02T10:00:00+05:00", 1)).toBe("2025-01-05T18:30:00+05:00"));
});

describe("N hours or minutes from T count working time inside 09:00-13:00 and 14:30-18:30", () => {
  it("inside a window", () => expect(wm("2026-03-05T17:00:00+05:00", 30)).toBe("2026-03-05T17:30:00+05:00"));
  it("over the end of the day into the next working morning", () => expect(wm("2026-03-05T18:00:00+05:00", 120)).toBe("2026-03-06T10:30:00+05:00"));
  it("over the lunch break", () => expect(wm("2026-03-20T12:30:00+05:00", 120)).toBe("2026-03-20T16:00:00+05:00"));
  it("started during the lunch break, it starts at 14:30", () => expect(wm("2026-03-03T13:30:00+05:00", 30)).toBe("2026-03-03T15:00:00+05:00"));
  it("started on a weekend before Nauryz, it starts at the next window (26 March)", () =>
    expect(wm("2026-03-21T11:00:00+05:00", 30)).toBe("2026-03-26T09:30:00+05:00"));
  it("started at 18:30 before 16 December", () => expect(wm("2026-12-15T18:30:00+05:00", 60)).toBe("2026-12-17T10:00:00+05:00"));
  it("ending exactly at the close of a window", () => expect(wm("2026-03-03T12:00:00+05:00", 60)).toBe("2026-03-03T13:00:00+05:00"));
  it("before opening", () => expect(wm("2026-03-03T07:00:00+05:00", 120)).toBe("2026-03-03T11:00:00+05:00"));
});

describe("years without data", () => {
  it("the holidays law with weekend substitution reproduces 2026's official list (with Kurban Ait added)", async () => {
    const time = workingTimeSchema.parse(JSON.parse(await readFile(path.join(calendarDataDir, "working-time.json"), "utf8")));
    const official = JSON.parse(await readFile(path.join(calendarDataDir, "2026.json"), "utf8")).daysOff as string[];
    const byRule = [...fallbackYear(time, 2026).daysOff, "2026-05-27"].sort();
    expect(byRule).toEqual([...official].sort());
  });

  it("falls back to the law for a year without a file, and says so once", () => {
    const warned: number[] = [];
    const c = loadCalendar(undefined, { onFallbackYear: (y) => warned.push(y) });
    expect(c.isWorkingDay("2030-01-01")).toBe(false);
    expect(c.isWorkingDay("2030-03-15")).toBe(false); // Constitution Day from 2027, a Friday
    expect(c.isWorkingDay("2030-03-25")).toBe(false); // Nauryz: 23 March 2030 is a Saturday, moved to Monday 25
    expect(c.isWorkingDay("2030-03-26")).toBe(true);
    expect(c.isWorkingDay("2030-12-17")).toBe(true);
    expect(warned).toEqual([2030]);
  });
});

describe("calendar files are validated and named when broken", () => {
  it("an impossible date", async () => {
    const dir = await brokenCopy(calendarDataDir, "2026.json", (j) => (j.daysOff[0] = "2026-02-30"));
    expect(() => loadCalendar(dir)).toThrowError(DataFileError);
    expect(() => loadCalendar(dir)).toThrowError(/2026\.json: field "daysOff\.0": not a real date/);
  });

  it("a day of another year, and a year that does not match the file name", async () => {
    const dir = await brokenCopy(calendarDataDir, "2027.json", (j) => (j.daysOff[1] = "2026-01-04"));
    expect(() => loadCalendar(dir)).toThrowError(/2027\.json: field "daysOff\.1": 2026-01-04 is not in 2027/);
    const dir2 = await brokenCopy(calendarDataDir, "2025.json", (j) => (j.year = 2024));
    expect(() => loadCalendar(dir2)).toThrowError(/2025\.json: field "daysOff\.0": 2025-01-01 is not in 2024/);
  });

  it("overlapping working windows", async () => {
    const dir = await brokenCopy(
      calendarDataDir,
      "working-time.json",
      (j) =>
        (j.windows = [
          ["09:00", "14:00"],
          ["13:00", "18:00"],
        ]),
    );
    expect(() => loadCalendar(dir)).toThrowError(/working-time\.json: field "windows": windows must be ordered and not overlap/);
  });
});
