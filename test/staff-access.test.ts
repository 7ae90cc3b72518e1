// Staff and admin actions are checked on the server for every command and every press:
// for anyone else they do not exist, and forged callback data changes nothing.
import { beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../bot/store/database.js";
import { texts } from "./helpers/fake-telegram.js";
import type { Harness } from "./helpers/harness.js";
import { botTests } from "./helpers/suite.js";
import { actionButton, staffPress, submitThroughBot } from "./helpers/lifecycle.js";

let db: Database;
let h: Harness;
const ADMIN = 900;
const STAFF = 901;
const STAFF2 = 902;

botTests({ now: new Date("2026-03-05T10:00:00+05:00"), adminIds: [ADMIN] }, (d, x) => {
  db = d;
  h = x;
});

async function setUp() {
  const admin = h.user(ADMIN, "ru");
  await admin.say("/start");
  for (const id of [STAFF, STAFF2]) {
    await h.user(id, "ru").say("/start");
    await admin.say(`/staff add ${id}`);
  }
  const owner = h.user(7001, "ru");
  const number = await submitThroughBot(h, owner, "aoc", "issuance", "ru");
  const c = await db.prisma.case.findUniqueOrThrow({ where: { number } });
  return { admin, owner, number, c, staff: h.user(STAFF, "ru"), staff2: h.user(STAFF2, "ru") };
}

const snapshot = async () => ({
  cases: await db.prisma.case.findMany({ select: { stage: true, version: true }, orderBy: { id: "asc" } }),
  events: await db.prisma.caseEvent.count(),
  roles: await db.prisma.user.findMany({ select: { id: true, role: true }, orderBy: { id: "asc" } }),
  broadcasts: await db.prisma.broadcast.count(),
});

describe("authorization", () => {
  it("staff and admin commands answer like unknown commands for an applicant, and reveal nothing", async () => {
    const { owner, number } = await setUp();
    const stranger = h.user(7002, "ru");
    await stranger.say("/start");
    await stranger.press("l:ru");
    const before = await snapshot();
    const calls = h.tg.calls.length;
    for (const u of [owner, stranger]) {
      for (const command of [
        "/queue",
        `/case ${number}`,
        "/broadcast",
        "/staff",
        `/staff add ${u.id}`,
        `/staff add ${u.id} admin`,
        "/stats",
        "/stats chart",
        "/export",
      ]) {
        const r = await u.say(command);
        expect(texts(r), command).toEqual(["Такой команды нет. Список команд: /help"]);
        expect(r.map((c) => c.method)).toEqual(["sendMessage"]);
      }
    }
    expect(await snapshot()).toEqual(before);
    expect(h.tg.since(calls).some((c) => c.method === "setMyCommands" || c.method === "sendDocument" || c.method === "sendPhoto")).toBe(false);
  });

  it("forged staff buttons do nothing for an applicant, for every action of the lifecycle", async () => {
    const { owner, c } = await setUp();
    const before = await snapshot();
    const forged = [
      ...h.deps.lifecycle.actionIds().map((a) => `s:a:${c.id}:${a}:${c.version}`),
      `s:c:${c.id}`,
      `s:d:${c.id}`,
      "s:q",
      "x:ok",
      "x:today",
      "x:i:0",
      "x:aud:all",
      "x:svc:aoc",
    ];
    for (const data of forged) {
      const r = await owner.press(data);
      expect(
        r.map((x) => [x.method, x.payload.text]),
        data,
      ).toEqual([["answerCallbackQuery", "Эта кнопка уже не действует."]]);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("a staff member who is not an admin cannot use admin commands; an applicant cannot act on someone else's case", async () => {
    const { staff, c } = await setUp();
    for (const command of ["/staff", `/staff add ${STAFF} admin`, "/stats", "/export"]) {
      expect(texts(await staff.say(command)), command).toEqual(["Такой команды нет. Список команд: /help"]);
    }
    const other = h.user(7003, "ru");
    await other.say("/start");
    for (const data of [`p:fix:${c.id}`, `p:plan:${c.id}`]) {
      const r = await other.press(data);
      expect(texts(r)).toEqual(["Заявка не найдена."]);
    }
    const r = await other.press(`c:${c.id}`);
    expect(r.map((x) => [x.method, x.payload.text])).toEqual([["answerCallbackQuery", "Заявка не найдена."]]);
  });

  it("staff cannot take an action the stage does not allow, even with a forged button", async () => {
    const { staff, c, number } = await setUp();
    const before = await snapshot();
    for (const action of ["issue", "act", "approve-plan", "refuse", "to-inspection", "no-such-action"]) {
      const r = await staff.press(`s:a:${c.id}:${action}:${c.version}`);
      expect(r[0]!.payload.text, action).toBe("Заявка уже изменилась — вот её текущее состояние.");
      expect(texts(r).at(-1)).toContain(`<b>Заявка ${number}</b>`);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("a role taken away in the middle of an action: the action is refused on commit", async () => {
    const { admin, staff, number } = await setUp();
    await staffPress(staff, number, "assign");
    await staffPress(staff, number, "refuse");
    await staff.say("Причина отказа по стандарту");
    expect(texts(await admin.say(`/staff remove ${STAFF}`))).toEqual([`Готово: ${STAFF} — заявитель.`]);
    expect(h.tg.calls.filter((c) => c.method === "deleteMyCommands" && c.payload.scope?.chat_id === STAFF)).toHaveLength(3);
    const r = await staff.press("x:ok");
    expect(texts(r)).toEqual(["Это действие вам недоступно."]);
    expect((await db.prisma.case.findUniqueOrThrow({ where: { number } })).stage).toBe("in-review");
  });

  it("admins from ADMIN_IDS cannot be removed by command, and nobody removes themselves", async () => {
    const { admin } = await setUp();
    expect(texts(await admin.say(`/staff remove ${ADMIN}`))).toEqual(["Этот администратор задан в ADMIN_IDS: его роль меняется только в конфигурации."]);
    await admin.say(`/staff add ${STAFF} admin`);
    const second = h.user(STAFF, "ru");
    expect(texts(await second.say(`/staff remove ${STAFF}`))).toEqual(["Нельзя снять роль с самого себя."]);
    const list = texts(await admin.say("/staff"))[0]!;
    expect(list).toContain(`${ADMIN} — администратор (из ADMIN_IDS)`);
    expect(list).toContain(`${STAFF} — администратор`);
    expect(list).toContain(`${STAFF2} — сотрудник`);
  });

  it("staff are added by a forwarded message or a contact too", async () => {
    const { admin } = await setUp();
    let r = await admin.say("/staff add");
    expect(texts(r)[0]).toContain("Перешлите сообщение этого человека");
    r = await admin.forward(7501, "Ерлан");
    expect(texts(r)).toEqual(["Готово: 7501 — сотрудник."]);
    await admin.say("/staff add");
    r = await admin.shareContact("77010000000", 7502);
    expect(texts(r)).toEqual(["Готово: 7502 — сотрудник."]);
    expect((await db.prisma.user.findMany({ where: { id: { in: [7501n, 7502n] } }, select: { role: true } })).map((u) => u.role)).toEqual(["staff", "staff"]);
  });
});

describe("two staff members acting on one case at once", () => {
  it("only one wins; the other is shown the case as it is now", async () => {
    const { staff, staff2, number } = await setUp();
    const card1 = await staff.say(`/case ${number}`);
    const card2 = await staff2.say(`/case ${number}`);
    const r1 = await staff.press(actionButton(card1, "assign"));
    const r2 = await staff2.press(actionButton(card2, "assign"));
    expect(texts(r1)[0]).toContain("AOC-2026-000001: этап «на рассмотрении");
    expect(r2[0]!.payload.text).toBe("Заявка уже изменилась — вот её текущее состояние.");
    const c = await db.prisma.case.findUniqueOrThrow({ where: { number }, include: { events: true } });
    expect(c.events.filter((e) => e.type === "assign").map((e) => e.actorId)).toEqual([BigInt(STAFF)]);
  });

  it("two transitions in parallel transactions: exactly one commits", async () => {
    const { c } = await setUp();
    const results = await Promise.all(
      [STAFF, STAFF2].map((actorId) =>
        h.deps.workflow.transition({ caseId: c.id, actionId: "assign", actorId, by: "staff", expectedVersion: c.version, now: h.clock.now }),
      ),
    );
    // The loser sees a newer version (a server running both at once) or the new stage (the
    // embedded database, which runs one transaction at a time): either way it changed nothing.
    const outcomes = results.map((r) => (r.ok ? "ok" : r.reason)).sort();
    expect(outcomes[1]).toBe("ok");
    expect(["conflict", "not-allowed"]).toContain(outcomes[0]);
    expect(await db.prisma.caseEvent.count({ where: { caseId: c.id, type: "assign" } })).toBe(1);
  });
});
