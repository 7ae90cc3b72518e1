// /stats, /stats chart and /export against a known set of cases moved on known dates.
import { inflateSync } from "node:zlib";
import { beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../bot/store/database.js";
import type { ActionInputValues } from "../bot/store/workflow.js";
import { texts } from "./helpers/fake-telegram.js";
import type { Harness } from "./helpers/harness.js";
import { botTests } from "./helpers/suite.js";
import { VALID_BIN } from "./helpers/samples.js";

let db: Database;
let h: Harness;
const ADMIN = 900;
let serial = 0;

botTests({ adminIds: [ADMIN] }, (d, x) => {
  db = d;
  h = x;
});
beforeEach(async () => {
  serial = 0;
  await seed();
  h.clock.now = new Date("2026-04-01T12:00:00+05:00");
});

async function submitted(serviceId: string, variant: string, at: string): Promise<number> {
  const userId = BigInt(8000 + ++serial);
  await db.prisma.user.create({ data: { id: userId, language: "ru" } });
  const code = h.deps.catalog.stored(serviceId, variant).service.code;
  const c = await db.prisma.case.create({
    data: {
      number: `${code}-2026-${String(serial).padStart(6, "0")}`,
      userId,
      serviceId,
      variant,
      applicantType: "legal",
      idNumber: VALID_BIN,
      name: `Оператор ${serial}`,
      phone: "+77010000000",
      stage: "submitted",
      submittedAt: new Date(at),
      events: { create: { at: new Date(at), actorId: userId, type: "submitted", toStage: "submitted" } },
    },
  });
  return c.id;
}

async function move(caseId: number, actionId: string, at: string, input: ActionInputValues = {}, by: "staff" | "applicant" = "staff") {
  h.clock.now = new Date(at);
  const actorId = by === "staff" ? ADMIN : Number((await db.prisma.case.findUniqueOrThrow({ where: { id: caseId } })).userId);
  const r = await h.deps.workflow.transition({ caseId, actionId, actorId, by, input, now: h.clock.now });
  expect(r.ok, `${actionId} at ${at}`).toBe(true);
}

/** A: AOC issued in 17 wd; B: AOC refused in 3 wd; C: AOC left at submission; D: GA duplicate issued next day; E: AOC from February, in review. */
async function seed() {
  const a = await submitted("aoc", "issuance", "2026-03-02T10:00:00+05:00");
  await move(a, "assign", "2026-03-02T10:20:00+05:00");
  await move(a, "to-inspection", "2026-03-10T11:00:00+05:00");
  await move(a, "schedule", "2026-03-11T11:00:00+05:00", { commission: "К", start: "2026-03-16", end: "2026-03-20" });
  await move(a, "act", "2026-03-20T16:00:00+05:00", { actDate: "2026-03-20" });
  await move(a, "submit-plan", "2026-03-26T10:00:00+05:00", {}, "applicant");
  await move(a, "approve-plan", "2026-03-27T10:00:00+05:00");
  await move(a, "prepare", "2026-03-30T10:00:00+05:00");
  await move(a, "issue", "2026-03-31T10:00:00+05:00", { certificateNo: "AOC-1", issuedOn: "2026-03-31" });
  const b = await submitted("aoc", "issuance", "2026-03-03T10:00:00+05:00");
  await move(b, "assign", "2026-03-03T10:10:00+05:00");
  await move(b, "refuse", "2026-03-06T10:00:00+05:00", { comment: "п.10" });
  await submitted("aoc", "issuance", "2026-03-04T10:00:00+05:00");
  const d = await submitted("ga-flights", "duplicate", "2026-03-05T10:00:00+05:00");
  await move(d, "assign", "2026-03-05T10:20:00+05:00");
  await move(d, "issue", "2026-03-06T10:00:00+05:00", { certificateNo: "GA-D-1", issuedOn: "2026-03-06" });
  const e = await submitted("aoc", "issuance", "2026-02-10T10:00:00+05:00");
  await move(e, "assign", "2026-02-10T11:00:00+05:00");
}

const block = (text: string, title: string) => text.split("\n\n").find((b) => b.startsWith(title)) ?? "";

describe("statistics for admins", () => {
  it("/stats: per service and variant, counts, overdue, median working days and steps within their term", async () => {
    const admin = h.user(ADMIN, "ru");
    await admin.say("/start");
    await admin.press("l:ru");
    let text = texts(await admin.say("/stats"))[0]!;
    expect(text).toContain("Все заявки");
    const aoc = block(text, "<b>Сертификат эксплуатанта — Выдача</b>");
    expect(aoc).toContain(
      "подано: 4; в работе: 2 (подана, ожидает регистрации: 1; на рассмотрении (назначен исполнитель): 1); выдано: 1; отказано: 1; просрочено сейчас: 2",
    );
    // 17 working days for A (9 March and 23-25 March are days off), 3 for B.
    expect(aoc).toContain("медиана до результата: 10 раб. дн.");
    const ga = block(text, "<b>Свидетельство АОН на полеты — Дубликат</b>");
    expect(ga).toContain("подано: 1; в работе: 0 (—); выдано: 1; отказано: 0; просрочено сейчас: 0");
    expect(ga).toContain("медиана до результата: 1 раб. дн. (по регламенту: 2); этапов в срок: 100% (6/6)");
    const aw = block(text, "<b>Свидетельство на авиаработы — Выдача</b>");
    expect(aw).toContain("подано: 0;");
    expect(aw).toContain("медиана до результата: — раб. дн.");

    // A period: the February case is left out.
    text = texts(await admin.say("/stats 01.03.2026 31.03.2026"))[0]!;
    expect(text).toContain("Заявки, поданные с 01.03.2026 по 31.03.2026");
    expect(block(text, "<b>Сертификат эксплуатанта — Выдача</b>")).toContain(
      "подано: 3; в работе: 1 (подана, ожидает регистрации: 1); выдано: 1; отказано: 1; просрочено сейчас: 1",
    );
    expect(texts(await admin.say("/stats 2026-02-30 2026-03-31"))).toEqual([
      "Формат: /stats, /stats 2026-01-01 2026-06-30 (или 01.01.2026 30.06.2026), /stats chart [период].",
    ]);
    expect(texts(await admin.say("/stats 2026-03-31 2026-03-01"))).toEqual([
      "Формат: /stats, /stats 2026-01-01 2026-06-30 (или 01.01.2026 30.06.2026), /stats chart [период].",
    ]);
  });

  it("/stats chart: a PNG drawn without a browser, with the legend in the caption", async () => {
    const admin = h.user(ADMIN, "ru");
    await admin.say("/start");
    const r = await admin.say("/stats chart");
    const photo = r.find((c) => c.method === "sendPhoto")!;
    expect(photo.payload.caption).toContain("S — подано, I — выдано");
    const png = Buffer.from(photo.payload.photo.bytes);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    const idat = png.indexOf("IDAT");
    const raw = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
    expect(raw.length).toBe((width * 3 + 1) * height);
    // Bars in the series' colours are really drawn (blue = submitted).
    let blue = 0;
    for (let i = 0; i + 2 < raw.length; i++) if (raw[i] === 66 && raw[i + 1] === 133 && raw[i + 2] === 244) blue++;
    expect(blue).toBeGreaterThan(100);
  });

  it("/export: one CSV row per case with stage and dates, no personal numbers, no file contents", async () => {
    const admin = h.user(ADMIN, "ru");
    await admin.say("/start");
    const r = await admin.say("/export");
    const doc = r.find((c) => c.method === "sendDocument")!;
    expect(doc.payload.document.name).toBe("qanat-cases-2026-04-01.csv");
    const csv = Buffer.from(doc.payload.document.bytes).toString("utf8");
    const lines = csv
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    expect(lines[0]).toBe("number,service,variant,applicant_type,stage,submitted_at,closed_at,certificate_no,deadline,deadline_owner,overdue");
    expect(lines).toHaveLength(6);
    expect(lines[1]).toBe("AOC-2026-000001,aoc,issuance,legal,issued,2026-03-02T10:00:00+05:00,2026-03-31T10:00:00+05:00,AOC-1,,,");
    expect(lines[3]).toMatch(/^AOC-2026-000003,aoc,issuance,legal,submitted,2026-03-04T10:00:00\+05:00,,,2026-03-04T10:30:00\+05:00,provider,true$/);
    expect(csv).not.toContain(VALID_BIN);
    expect(csv).not.toContain("+7701");
  });
});
