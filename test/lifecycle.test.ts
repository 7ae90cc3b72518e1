// The lifecycle data and its pure functions: no bot, no database.
import { describe, expect, it } from "vitest";
import { loadCalendar } from "../flows/calendar/load.js";
import { loadCatalog } from "../flows/catalog/load.js";
import { SERVICE_IDS, VARIANTS } from "../flows/catalog/schema.js";
import { DataFileError } from "../flows/data-file.js";
import { checkInspectionDates, lifecycleFile, loadLifecycle, remindersDue } from "../flows/workflow/lifecycle.js";
import { loadConfig } from "../bot/config.js";
import { brokenCopy } from "./helpers/flows.js";
import path from "node:path";

const lc = loadLifecycle();
const catalog = loadCatalog();
const calendar = loadCalendar();

describe("the lifecycle data", () => {
  it.each(SERVICE_IDS.flatMap((s) => VARIANTS.map((v) => [s, v] as const)))(
    "%s %s: every stage on a path reaches a result, and every step of the catalog is completed by some action",
    (serviceId, variant) => {
      const sv = catalog.get(serviceId, variant);
      const seen = new Set<string>();
      const completed = new Set<string>();
      const walk = (stage: string) => {
        if (seen.has(stage)) return;
        seen.add(stage);
        for (const a of [...lc.actionsFor(sv, stage, "staff"), ...lc.actionsFor(sv, stage, "applicant")]) {
          a.completes.forEach((s) => completed.add(s));
          walk(a.to);
        }
      };
      walk("submitted");
      expect(seen.has("issued") && seen.has("refused")).toBe(true);
      for (const stage of seen)
        if (!lc.isFinal(stage)) expect(lc.actionsFor(sv, stage, "staff").length + lc.actionsFor(sv, stage, "applicant").length, stage).toBeGreaterThan(0);
      expect(sv.steps.map((s) => s.id).filter((id) => !completed.has(id))).toEqual([]);
      // Only the operator certificate has the non-conformities stage; duplicates have no inspection.
      expect(seen.has("nonconformities")).toBe(serviceId === "aoc" && variant === "issuance");
      expect(seen.has("inspection-scheduled")).toBe(variant === "issuance");
    },
  );

  it("the applicant's tasks and the reminder stages are read from the data", () => {
    const aoc = catalog.get("aoc", "issuance");
    expect(lc.applicantTasks(aoc, "nonconformities")).toEqual(["fix"]);
    expect(lc.applicantTasks(aoc, "act-signed")).toEqual(["plan"]);
    expect(lc.applicantTasks(aoc, "in-review")).toEqual([]);
    expect(lc.applicantAction(catalog.get("ga-flights", "issuance"), "act-signed", "plan")?.id).toBe("submit-plan");
    expect(lc.reminderStages()).toEqual(["nonconformities", "inspection-scheduled", "act-signed"]);
  });

  it("a broken file names the field", async () => {
    const dir = await brokenCopy(path.dirname(lifecycleFile), "lifecycle.json", (json) => {
      json.actions[0].to = "nowhere";
    });
    expect(() => loadLifecycle(path.join(dir, "lifecycle.json"))).toThrowError(DataFileError);
    expect(() => loadLifecycle(path.join(dir, "lifecycle.json"))).toThrowError(/field "actions.0": stage "nowhere" is not in "stages"/);
  });
});

describe("reminders before a deadline the applicant owes", () => {
  // Due Friday 20 March 2026, end of the working day.
  const due = new Date("2026-03-20T18:30:00+05:00");
  const obligation = [{ kind: "act-signed", due, remindDaysBefore: [3, 1] }];
  const at = (iso: string) => remindersDue(calendar, obligation, new Date(iso)).map((r) => r.daysBefore);

  it("3 working days before from the start of that day, then 1; none after the deadline", () => {
    expect(at("2026-03-17T08:59:00+05:00")).toEqual([]);
    expect(at("2026-03-17T09:00:00+05:00")).toEqual([3]);
    expect(at("2026-03-18T15:00:00+05:00")).toEqual([3]);
    expect(at("2026-03-19T09:00:00+05:00")).toEqual([1]);
    expect(at("2026-03-20T18:30:00+05:00")).toEqual([]);
  });

  it("counts working days over holidays, and a late start sends only the closest reminder", () => {
    // Due Thursday 26 March: 23-25 March are Nauryz, so 1 wd before is Friday 20 March.
    const afterNauryz = [{ kind: "inspection", due: new Date("2026-03-26T09:00:00+05:00"), remindDaysBefore: [3, 1] }];
    expect(remindersDue(calendar, afterNauryz, new Date("2026-03-20T09:00:00+05:00"))).toEqual([
      { kind: "inspection", due: afterNauryz[0]!.due, daysBefore: 1, key: "inspection:2026-03-26:1" },
    ]);
    expect(remindersDue(calendar, afterNauryz, new Date("2026-03-18T09:00:00+05:00")).map((r) => r.daysBefore)).toEqual([3]);
  });
});

describe("inspection dates", () => {
  const sv = catalog.get("aoc", "issuance");
  it("working days, not past, in order, no longer than the regulation's term", () => {
    expect(checkInspectionDates(calendar, sv, "2026-03-19", "2026-03-26", "2026-04-08")).toBeNull();
    expect(checkInspectionDates(calendar, sv, "2026-03-19", "2026-03-18", "2026-03-20")).toEqual({ problem: "past" });
    expect(checkInspectionDates(calendar, sv, "2026-03-19", "2026-03-27", "2026-03-26")).toEqual({ problem: "order" });
    expect(checkInspectionDates(calendar, sv, "2026-03-19", "2026-03-23", "2026-03-27")).toEqual({ problem: "not-working" });
    expect(checkInspectionDates(calendar, sv, "2026-03-19", "2026-03-26", "2026-04-09")).toEqual({ problem: "too-long", maxDays: 10 });
    // General aviation: 8 wd.
    expect(checkInspectionDates(calendar, catalog.get("ga-flights", "issuance"), "2026-03-19", "2026-03-26", "2026-04-07")).toEqual({
      problem: "too-long",
      maxDays: 8,
    });
  });
});

describe("configuration of the staff chat", () => {
  const token = "123456:ABCdefGhIJKlmNoPQRstuVWxyz0123456789";
  it("STAFF_CHAT_ID is a chat id or nothing", () => {
    expect(loadConfig({ BOT_TOKEN: token }).STAFF_CHAT_ID).toBeUndefined();
    expect(loadConfig({ BOT_TOKEN: token, STAFF_CHAT_ID: "-1001234567890" }).STAFF_CHAT_ID).toBe(-1001234567890n);
    expect(() => loadConfig({ BOT_TOKEN: token, STAFF_CHAT_ID: "staff" })).toThrowError(/STAFF_CHAT_ID: must be a Telegram chat id/);
  });
});
