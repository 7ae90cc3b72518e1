import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { loadCalendar } from "../flows/calendar/load.js";
import { toKzIso } from "../flows/calendar/kz-time.js";
import { loadCatalog } from "../flows/catalog/load.js";
import { SERVICE_IDS, VARIANTS } from "../flows/catalog/schema.js";
import { computeTimeline } from "../flows/timeline.js";

const cal = loadCalendar();
const catalog = loadCatalog();
const iso = (t: { steps: Array<{ id: string; due: Date }> }) => Object.fromEntries(t.steps.map((s) => [s.id, toKzIso(s.due)]));

describe("planned timeline of an issuance (every step at its longest)", () => {
  it("air operator certificate from Thursday 5 March 2026, 17:00 (worked out by hand)", () => {
    const t = computeTimeline(cal, catalog.get("aoc", "issuance"), new Date("2026-03-05T17:00:00+05:00"));
    expect(iso(t)).toEqual({
      registration: "2026-03-05T17:30:00+05:00",
      resolution: "2026-03-06T10:00:00+05:00", // 1 h on Thursday, 1 h on Friday (Monday 9 March is off)
      assignment: "2026-03-06T12:00:00+05:00",
      completeness: "2026-03-12T18:30:00+05:00", // 3 wd from Friday: 10, 11, 12 March
      review: "2026-04-08T18:30:00+05:00", // 20 wd from submission, 23-25 March off
      commission: "2026-04-14T18:30:00+05:00", // 4 wd
      inspection: "2026-04-28T18:30:00+05:00", // 10 wd
      "corrective-plan": "2026-05-15T18:30:00+05:00", // 10 wd, 1, 7 and 11 May off
      check: "2026-05-22T18:30:00+05:00", // 5 wd
      decision: "2026-05-25T18:30:00+05:00", // 1 wd
      prepare: "2026-05-26T18:30:00+05:00", // 1 wd
      agree: "2026-05-28T10:00:00+05:00", // 1 h (para 5); 27 May is Kurban Ait
      sign: "2026-05-28T12:00:00+05:00", // 2 h
    });
    expect(toKzIso(t.due)).toBe("2026-05-28T12:00:00+05:00");
    expect(t.steps.find((s) => s.id === "corrective-plan")!.owner).toBe("applicant");
  });

  it("general aviation has the inspection act and its own terms", () => {
    const t = computeTimeline(cal, catalog.get("ga-flights", "issuance"), new Date("2026-03-05T17:00:00+05:00"));
    const due = iso(t);
    expect(Object.keys(due)).toEqual([
      "registration",
      "resolution",
      "assignment",
      "review",
      "commission",
      "inspection",
      "inspection-act",
      "corrective-plan",
      "check",
      "decision",
      "prepare",
      "agree",
      "sign",
    ]);
    expect(due.review).toBe("2026-04-08T18:30:00+05:00");
    expect(due.commission).toBe("2026-04-15T18:30:00+05:00"); // 5 wd: 9, 10, 13, 14, 15 April
    expect(due.inspection).toBe("2026-04-27T18:30:00+05:00"); // 8 wd: 16, 17, 20-24, 27
    expect(due["inspection-act"]).toBe("2026-05-04T18:30:00+05:00"); // 4 wd: 28, 29, 30 April, (1 May off, weekend) 4 May
  });

  it("every service and variant: steps follow the catalog, due dates never go back, the last is the result", () => {
    for (const service of SERVICE_IDS) {
      for (const variant of VARIANTS) {
        const sv = catalog.get(service, variant);
        const t = computeTimeline(cal, sv, new Date("2026-12-14T16:00:00+05:00"));
        expect(t.steps.map((s) => s.id)).toEqual(sv.steps.map((s) => s.id));
        for (let i = 1; i < t.steps.length; i++) expect(t.steps[i]!.due.getTime()).toBeGreaterThanOrEqual(t.steps[i - 1]!.due.getTime());
        expect(t.due).toEqual(t.steps.at(-1)!.due);
        if (variant === "duplicate") expect(toKzIso(t.due)).toBe("2026-12-17T18:30:00+05:00"); // 2 wd: 15, (16 off), 17
      }
    }
  });
});

describe("a duplicate is due 2 working days from submission", () => {
  it("no step is planned past the overall term", () => {
    const t = computeTimeline(cal, catalog.get("aoc", "duplicate"), new Date("2026-03-06T17:00:00+05:00"));
    expect(iso(t)).toEqual({
      registration: "2026-03-06T17:30:00+05:00",
      resolution: "2026-03-10T10:00:00+05:00",
      assignment: "2026-03-10T12:00:00+05:00",
      "prepare-duplicate": "2026-03-11T18:30:00+05:00",
      agree: "2026-03-11T18:30:00+05:00", // 2 h after 18:30 would be 12 March: capped by the 2 wd term
      "issue-duplicate": "2026-03-11T18:30:00+05:00",
    });
  });
});

describe("when a step really happens, the following dates count from the real date", () => {
  it("an early decision moves the inspection stage earlier", () => {
    const sv = catalog.get("aoc", "issuance");
    const done = new Map([["review", new Date("2026-03-20T15:00:00+05:00")]]);
    const t = computeTimeline(cal, sv, new Date("2026-03-05T17:00:00+05:00"), done);
    const review = t.steps.find((s) => s.id === "review")!;
    expect(review.doneAt).toEqual(done.get("review"));
    expect(toKzIso(t.steps.find((s) => s.id === "commission")!.due)).toBe("2026-03-31T18:30:00+05:00"); // 26, 27, 30, 31 March
  });
});

describe("the timeline command", () => {
  const run = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "flows/timeline-cli.ts", ...args], { encoding: "utf8" });

  it("prints the planned timeline as JSON with +05:00 times", () => {
    const r = run("--service", "aoc", "--variant", "issuance", "--from", "2026-03-05T17:00:00+05:00");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(["service", "variant", "from", "steps", "due"]);
    expect(out).toMatchObject({ service: "aoc", variant: "issuance", from: "2026-03-05T17:00:00+05:00", due: "2026-05-28T12:00:00+05:00" });
    expect(out.steps[0]).toEqual({ id: "registration", title: { kk: "Құжаттарды тіркеу", ru: "Регистрация документов" }, due: "2026-03-05T17:30:00+05:00" });
    expect(out.steps).toHaveLength(13);
  });

  it("accepts another offset and says what is wrong with bad arguments", () => {
    const ok = run("--service", "ga-flights", "--variant", "duplicate", "--from", "2026-03-05T12:00:00Z");
    expect(JSON.parse(ok.stdout).from).toBe("2026-03-05T17:00:00+05:00");
    const bad = run("--service", "helicopters", "--variant", "issuance", "--from", "yesterday");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--service");
    expect(bad.stderr).toContain("--from: expected an ISO 8601 time");
  });
});
