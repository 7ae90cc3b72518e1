import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DataFileError, parseDataFile } from "../data-file.js";
import { workingTimeSchema, yearDataSchema, type YearData } from "./schema.js";
import { WorkingCalendar, type CalendarOptions } from "./working-calendar.js";

export const calendarDataDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "data");

/** Reads working-time.json and every YYYY.json of a folder, validated. */
export function loadCalendar(dir = calendarDataDir, options: CalendarOptions = {}): WorkingCalendar {
  const time = parseDataFile(path.join(dir, "working-time.json"), workingTimeSchema);
  const years: YearData[] = readdirSync(dir)
    .filter((f) => /^\d{4}\.json$/.test(f))
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      const data = parseDataFile(file, yearDataSchema);
      if (`${data.year}.json` !== f) throw new DataFileError(file, [`field "year": ${data.year} does not match the file name`]);
      return data;
    });
  return new WorkingCalendar(time, years, options);
}
