// Updates on their way in: the webhook (secret, bad bodies), the inbox (stored first, handled
// once, one chat at a time and in order across instances, taken over from a dead instance,
// kept when the database fails), the flood guard, and odd updates.
import type { Update } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../bot/store/database.js";
import { startServer, WEBHOOK_PATH } from "../bot/updates/server.js";
import { texts } from "./helpers/fake-telegram.js";
import type { Harness, Instance } from "./helpers/harness.js";
import { botTests } from "./helpers/suite.js";
import { until } from "./helpers/wait.js";
import { VALID_BIN, pdf } from "./helpers/samples.js";
import { beginApplication } from "./helpers/flows.js";

let db: Database;
let h: Harness;
botTests({ now: new Date("2026-03-05T10:00:00+05:00"), flood: { limit: 20, windowMs: 10_000 } }, (d, x) => {
  db = d;
  h = x;
});
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

const SECRET = "test-secret-0123456789";

async function webhookOf(instance: Instance) {
  const server = await startServer({
    port: 0,
    host: "127.0.0.1",
    database: instance.deps.database,
    inbox: instance.inbox,
    logger: instance.deps.logger,
    secret: SECRET,
    describe: () => ({ mode: "webhook" }),
  });
  closers.push(() => new Promise((r) => server.close(r)));
  const base = `http://127.0.0.1:${server.port}`;
  const post = (body: string, secret: string | null = SECRET) =>
    fetch(`${base}${WEBHOOK_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(secret ? { "x-telegram-bot-api-secret-token": secret } : {}) },
      body,
    });
  return { base, post, send: async (u: Update) => void expect((await post(JSON.stringify(u))).status).toBe(200) };
}

describe("the webhook", () => {
  it("refuses a wrong or missing secret (401), bad bodies (400, 413), and stores a good update once", async () => {
    const a = h.instance();
    const hook = await webhookOf(a);
    const u = h.user(7101, "ru");
    const update = {
      update_id: 555,
      message: { message_id: 1, date: 1, chat: u.chat, from: u.from, text: "/start", entities: [{ type: "bot_command", offset: 0, length: 6 }] },
    };
    expect((await hook.post(JSON.stringify(update), "wrong-secret-0123456789")).status).toBe(401);
    expect((await hook.post(JSON.stringify(update), null)).status).toBe(401);
    expect((await hook.post("{not json")).status).toBe(400);
    expect((await hook.post(JSON.stringify({ message: {} }))).status).toBe(400);
    expect((await hook.post(JSON.stringify({ update_id: 556, message: { text: "x".repeat(1_100_000) } }))).status).toBe(413);
    expect(await db.prisma.updateInbox.count()).toBe(0);

    // Telegram delivers the same update twice: it is handled once.
    expect((await hook.post(JSON.stringify(update))).status).toBe(200);
    expect((await hook.post(JSON.stringify(update))).status).toBe(200);
    await a.inbox.drain();
    expect(h.tg.messagesTo(7101).map((c) => c.payload.text)).toEqual([expect.stringContaining("Здравствуйте, Айгүл!")]);
    const row = await db.prisma.updateInbox.findUniqueOrThrow({ where: { updateId: 555n } });
    expect(row).toMatchObject({ status: "done", payload: null, chatKey: "c7101" });

    const health = await fetch(`${hook.base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, database: "ok", inbox: 0 });
    expect((await fetch(`${hook.base}/other`)).status).toBe(404);
  });
});

describe("several instances on one database", () => {
  it("handle each chat's updates one at a time and in order, each update once, duplicates and all", async () => {
    // On a server, the second instance has its own connections; the embedded database has one.
    const second = db.url ? await openDatabase({ databaseUrl: db.url, migrate: false }) : db;
    if (second !== db) closers.push(() => second.close());
    const a = h.instance(db, { workers: 3 });
    const b = h.instance(second, { workers: 3 });
    const hooks = [await webhookOf(a), await webhookOf(b)];
    a.inbox.start();
    b.inbox.start();
    closers.push(
      () => a.inbox.stop(),
      () => b.inbox.stop(),
    );

    const users = Array.from({ length: 12 }, (_, i) => h.user(7200 + i, "ru"));
    const steps: Array<(u: ReturnType<typeof h.user>) => Promise<unknown>> = [
      (u) => u.say("/start"),
      (u) => u.press("l:ru"),
      (u) => u.press("m:new"),
      (u) => u.press("a:svc:aoc"),
      (u) => u.press("a:var:issuance"),
      (u) => u.press("a:go"),
      (u) => u.say(VALID_BIN),
      (u) => u.say(`АО Инстанс ${u.id}`),
      (u) => u.shareContact("77017770000"),
      (u) => u.press("a:skip"),
    ];
    let n = 0;
    for (const step of steps) {
      await Promise.all(
        users.map((u, i) =>
          step(
            u.via(async (update) => {
              n++;
              await hooks[(i + n) % 2]!.send(update);
              // Every third update arrives twice, the second time at the other instance.
              if (n % 3 === 0) await hooks[(i + n + 1) % 2]!.send(update);
            }),
          ),
        ),
      );
    }
    await until(async () => (await a.inbox.pending()) === 0, "the inbox to empty", 30_000);

    for (const u of users) {
      const draft = await db.prisma.draft.findUniqueOrThrow({ where: { userId: BigInt(u.id) } });
      expect(draft).toMatchObject({ idNumber: VALID_BIN, name: `АО Инстанс ${u.id}`, phone: "+77017770000", phase: "documents" });
      const got = h.tg.messagesTo(u.id).map((c) => c.payload.text as string);
      expect(got.filter((t) => t.includes("Здравствуйте"))).toHaveLength(1);
      expect(got.filter((t) => t.includes("Данные заявителя сохранены"))).toHaveLength(1);
      expect(got.at(-1)).toContain("Документ 1 / 9: Заявление");
    }
    expect(await db.prisma.updateInbox.count({ where: { status: { not: "done" } } })).toBe(0);
    expect(await db.prisma.updateInbox.count()).toBe(users.length * steps.length);
  });

  it("an update claimed by an instance that died is taken over when its lease runs out", async () => {
    const u = h.user(7301, "ru");
    const a = h.instance();
    await u.via(async (update) => void (await a.inbox.accept([update]))).say("/start");
    // The dead instance's claim, as it left it.
    await db.prisma.updateInbox.updateMany({ data: { status: "processing", lockedBy: "dead", lockedUntil: new Date(h.clock.now.getTime() + 60_000) } });
    const b = h.instance();
    expect(await b.inbox.runOnce()).toBe(false);
    h.clock.now = new Date(h.clock.now.getTime() + 61_000);
    expect(await b.inbox.runOnce()).toBe(true);
    expect(texts(h.tg.messagesTo(7301))).toEqual([expect.stringContaining("Здравствуйте")]);
  });

  it("an update that failed because the database was unreachable is handled again later, and nothing is said twice", async () => {
    const a = h.instance();
    const touch = a.deps.users.touch;
    let down = true;
    a.deps.users.touch = async (from) => {
      if (down) throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
      return touch(from);
    };
    const u = h.user(7401, "ru");
    await u.via(async (update) => void (await a.inbox.accept([update]))).say("/start");
    expect(await a.inbox.runOnce()).toBe(true);
    expect(h.tg.messagesTo(7401)).toEqual([]);
    expect(await db.prisma.updateInbox.findFirstOrThrow()).toMatchObject({ status: "pending", attempts: 1 });
    down = false;
    expect(await a.inbox.runOnce()).toBe(false); // backing off
    h.clock.now = new Date(h.clock.now.getTime() + 1000);
    expect(await a.inbox.runOnce()).toBe(true);
    expect(texts(h.tg.messagesTo(7401))).toEqual([expect.stringContaining("Здравствуйте")]);
  });
});

describe("bad input", () => {
  it("a flood from one user is answered once, politely, and dropped until the window clears", async () => {
    const u = h.user(7501, "ru");
    await u.say("/start");
    await u.press("l:ru");
    const replies: string[] = [];
    for (let i = 0; i < 40; i++) replies.push(...texts(await u.say(`сообщение ${i}`)));
    expect(replies.filter((t) => t.startsWith("⏳ Слишком много сообщений"))).toHaveLength(1);
    expect(replies.filter((t) => t.includes("Я не понял сообщение"))).toHaveLength(18);
    h.clock.now = new Date(h.clock.now.getTime() + 11_000);
    expect(texts(await u.say("/help"))[0]).toContain("Что умеет Qanat");
  });

  it("a file where text is expected is answered with what is expected, and nothing is stored", async () => {
    const u = h.user(7701, "ru");
    await beginApplication(u, "Сертификат эксплуатанта", "Выдача", "Начать");
    const r = await u.sendDocument(pdf("not a BIN"), "bin.pdf");
    expect(texts(r)).toEqual(["Введите <b>БИН</b> организации (12 цифр)."]);
    expect((await db.prisma.draft.findUniqueOrThrow({ where: { userId: 7701n } })).idNumber).toBeNull();
    expect(await db.prisma.draftFile.count()).toBe(0);
  });

  it("updates of kinds the bot does not use, and malformed callbacks, are answered or ignored without an error", async () => {
    const u = h.user(7601, "ru");
    const bot = h.bot;
    const base = { message_id: 5, date: 1, chat: u.chat, from: u.from };
    const odd: Array<Record<string, unknown>> = [
      { edited_message: { ...base, text: "исправил" } },
      { message: { ...base, sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 1, height: 1, is_animated: false, is_video: false } } },
      { message: { ...base, location: { latitude: 51.1, longitude: 71.4 } } },
      { callback_query: { id: "q1", from: u.from, chat_instance: "c", message: { ...base, text: "…" } } },
      { callback_query: { id: "q2", from: u.from, chat_instance: "c", data: "s:a:1:assign:99999999999999999999", message: { ...base, text: "…" } } },
      { callback_query: { id: "q3", from: u.from, chat_instance: "c", data: "x".repeat(200), message: { ...base, text: "…" } } },
      {
        my_chat_member: {
          chat: u.chat,
          from: u.from,
          date: 1,
          old_chat_member: { status: "member", user: u.from },
          new_chat_member: { status: "kicked", user: u.from, until_date: 0 },
        },
      },
      { channel_post: { message_id: 1, date: 1, chat: { id: -100, type: "channel", title: "c" }, text: "post" } },
    ];
    for (const [i, extra] of odd.entries()) {
      const before = h.tg.calls.length;
      await bot.handleUpdate({ update_id: 90_000 + i, ...extra } as Update);
      const calls = h.tg.since(before);
      expect(
        calls.every((c) => c.payload.text !== "⚠️ Произошла ошибка, но ваши данные сохранены. Повторите действие чуть позже."),
        JSON.stringify(extra).slice(0, 60),
      ).toBe(true);
    }
    expect(h.tg.calls.filter((c) => c.method === "answerCallbackQuery").map((c) => c.payload.text)).toEqual([
      "Эта кнопка уже не действует.",
      "Эта кнопка уже не действует.",
      "Эта кнопка уже не действует.",
    ]);
  });
});
