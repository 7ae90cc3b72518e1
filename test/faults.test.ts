// Faults with the bot as a real process: killed (SIGKILL) in the middle of an application, of a
// staff action and of a broadcast, then started again; stopped with SIGTERM; started without a
// database; and (on a PostgreSQL server) the database lost while it runs.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Update } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../bot/store/database.js";
import { FakeUser, texts } from "./helpers/fake-telegram.js";
import { freePort, spawnBot, type BotProcess } from "./helpers/bot-process.js";
import { onServer, openTestDatabase, serverUrl } from "./helpers/database.js";
import { VALID_BIN, pdf } from "./helpers/samples.js";
import { startTelegramServer, type TelegramServer } from "./helpers/telegram-server.js";
import { until } from "./helpers/wait.js";

let dataDir: string;
let telegram: TelegramServer;
let env: Record<string, string>;
let databaseUrl: string | undefined;
const running: BotProcess[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "qanat-faults-"));
  telegram = await startTelegramServer(undefined, { delayMs: 5 });
  if (serverUrl) {
    const db = await openTestDatabase();
    databaseUrl = db.url!;
    await db.close();
  }
  env = { BOT_API_ROOT: telegram.url, DATA_DIR: dataDir, ADMIN_IDS: "900", INBOX_LEASE_SECONDS: "2", ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
});
afterAll(async () => {
  for (const p of running) if (p.child.exitCode === null) p.child.kill("SIGKILL");
  await telegram.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function start(): Promise<BotProcess> {
  const p = spawnBot(env, await freePort());
  running.push(p);
  await p.ready();
  return p;
}

async function kill(p: BotProcess) {
  p.child.kill("SIGKILL");
  await p.exited;
}

/** The bot's database, opened while no bot process holds it (the embedded one is single-process). */
async function withDatabase<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(databaseUrl ? { databaseUrl, migrate: false } : { pgliteDir: path.join(dataDir, "pglite"), migrate: false });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

const tg = () => telegram.tg;
/** The callback data of the latest action button `action` the chat got. */
const staffButton = (chatId: number, action: string): string =>
  tg()
    .messagesTo(chatId)
    .flatMap((c) => c.payload.reply_markup?.inline_keyboard?.flat() ?? [])
    .map((b: { callback_data?: string }) => b.callback_data)
    .findLast((d: string | undefined) => d?.startsWith("s:a:") && d.split(":")[3] === action)!;
const userOn = (p: () => BotProcess, id: number) =>
  new FakeUser(telegram.tg, () => undefined as never, id, "ru").via(async (u: Update) => {
    const status = await p().post(u);
    if (status !== 200) throw new Error(`webhook answered ${status}`);
  });

describe("the bot killed and started again", () => {
  it("loses nothing and sends nothing twice: in an application, in a staff action, in a broadcast", async () => {
    // 150 users for the broadcast, stored before the first start.
    const seedDb = await openDatabase(databaseUrl ? { databaseUrl } : { pgliteDir: path.join(dataDir, "pglite") });
    await seedDb.prisma.user.createMany({ data: Array.from({ length: 150 }, (_, i) => ({ id: BigInt(50_000 + i), language: "ru" })) });
    await seedDb.close();

    let bot = await start();
    const u = userOn(() => bot, 7001);
    for (const step of [
      () => u.say("/start"),
      () => u.press("l:ru"),
      () => u.press("m:new"),
      () => u.press("a:svc:aoc"),
      () => u.press("a:var:duplicate"),
      () => u.press("a:go"),
    ])
      await step();
    await bot.idle();
    // Typed quickly, and the process dies before (or while) handling them.
    await u.say(VALID_BIN);
    await u.say("АО Живучесть");
    await u.shareContact("77010001122");
    await kill(bot);

    bot = await start();
    await bot.idle();
    await u.press("a:skip");
    await u.sendDocument(pdf("application"), "application.pdf");
    await u.sendDocument(pdf("payment"), "payment.pdf");
    await u.press("a:skip");
    await u.press("a:submit");
    await bot.idle();
    const mine = texts(tg().messagesTo(7001));
    expect(mine.filter((t) => t.includes("✅ Данные заявителя сохранены."))).toHaveLength(1);
    expect(mine.filter((t) => t.startsWith("✅ Заявка подана."))).toHaveLength(1);
    expect(mine.find((t) => t.startsWith("✅ Заявка подана."))).toMatch(/Регистрационный номер: <b>AOC-\d{4}-000001<\/b>/);

    // A staff action: the admin is in the middle of a refusal when the process dies.
    const admin = userOn(() => bot, 900);
    await admin.say("/start");
    await admin.press("l:ru");
    await bot.idle();
    const number = /AOC-\d{4}-\d{6}/.exec(mine.find((t) => t.startsWith("✅ Заявка подана."))!)![0];
    await admin.say(`/case ${number}`);
    await bot.idle();
    await admin.press(staffButton(900, "assign"));
    await bot.idle();
    await admin.say(`/case ${number}`);
    await bot.idle();
    await admin.press(staffButton(900, "refuse"));
    await admin.say("Нет документа по п.10 стандарта");
    await bot.idle();
    await kill(bot);
    bot = await start();
    await admin.press("x:ok");
    await bot.idle();
    await until(() => texts(tg().messagesTo(7001)).some((t) => t.includes("⛔ В оказании услуги отказано.")), "the applicant's notice");
    await new Promise((r) => setTimeout(r, 1500));
    expect(texts(tg().messagesTo(7001)).filter((t) => t.includes("⛔ В оказании услуги отказано."))).toHaveLength(1);
    expect(texts(tg().messagesTo(7001)).filter((t) => t.includes("принята в работу"))).toHaveLength(1);

    // A broadcast to everyone, killed while it is being sent.
    await admin.say("/broadcast");
    await admin.press("x:aud:all");
    await admin.say("Хабарлама барлығына");
    await admin.press("x:same");
    await admin.press("x:ok");
    await bot.idle();
    await until(() => tg().calls.filter((c) => c.method === "sendMessage" && Number(c.payload.chat_id) >= 50_000).length > 20, "the broadcast to start");
    await kill(bot);
    const before = tg().calls.filter((c) => c.method === "sendMessage" && Number(c.payload.chat_id) >= 50_000).length;
    expect(before).toBeLessThan(150);
    bot = await start();
    await until(() => texts(tg().messagesTo(900)).some((t) => t.startsWith("✅ Рассылка завершена.")), "the broadcast's report", 90_000);
    const counts = new Map<number, number>();
    for (const c of tg().calls)
      if (c.method === "sendMessage" && c.payload.text === "Хабарлама барлығына")
        counts.set(Number(c.payload.chat_id), (counts.get(Number(c.payload.chat_id)) ?? 0) + 1);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const report = texts(tg().messagesTo(900)).find((t) => t.startsWith("✅ Рассылка завершена."))!;
    const figures = /Всего: (\d+); доставлено: (\d+); не доставлено: (\d+); заблокировали бота: (\d+)\.(?: Отправка (\d+) сообщ\.)?/.exec(report)!;
    const [total, sent, failed, blocked, uncertain] = figures.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number];
    // Everyone who started the bot: the 150, the applicant and the admin.
    expect([total, failed, blocked]).toEqual([152, 0, 0]);
    expect(sent + uncertain).toBe(152);
    // Only what was in flight when the process died is unconfirmed, and it was not repeated.
    expect(uncertain).toBeLessThanOrEqual(5);
    expect(counts.size).toBeGreaterThanOrEqual(sent);
    expect(counts.size).toBeLessThanOrEqual(152);

    // SIGTERM: a clean stop.
    bot.child.kill("SIGTERM");
    const exit = await bot.exited;
    expect(exit.code).toBe(0);
    expect(bot.output()).not.toContain('"level":50');
    await withDatabase(async (db) => {
      expect(await db.prisma.case.count()).toBe(1);
      expect(await db.prisma.updateInbox.count({ where: { status: { not: "done" } } })).toBe(0);
      expect(await db.prisma.outbox.count({ where: { status: { in: ["pending", "sending", "failed"] } } })).toBe(0);
    });
  }, 240_000);
});

describe("the database", () => {
  it("unreachable at start: a clear message and a non-zero exit", async () => {
    const p = spawnBot({ ...env, DATABASE_URL: "postgresql://qanat@127.0.0.1:1/nowhere" }, await freePort());
    running.push(p);
    const exit = await p.exited;
    expect(exit.code).toBe(1);
    expect(p.output()).toContain("Qanat could not open the PostgreSQL server at postgresql://qanat@127.0.0.1:1/nowhere");
  }, 60_000);

  if (serverUrl) {
    it("lost while running: updates are refused (not acknowledged) and handled once it is back", async () => {
      const name = new URL(databaseUrl!).pathname.slice(1);
      const bot = await start();
      const u = userOn(() => bot, 7777);
      await u.say("/start");
      await bot.idle();
      await onServer(async (admin) => {
        await admin.prisma.$executeRawUnsafe(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
        await admin.prisma.$executeRawUnsafe(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`);
      });
      const update = {
        update_id: 999_001,
        message: {
          message_id: 1,
          date: 1,
          chat: { id: 7777, type: "private", first_name: "A" },
          from: { id: 7777, is_bot: false, first_name: "A", language_code: "ru" },
          text: "/help",
          entities: [{ type: "bot_command", offset: 0, length: 5 }],
        },
      } as Update;
      await until(async () => (await bot.post(update)) === 503, "the webhook to refuse", 20_000);
      expect((await bot.health()).status).toBe(503);
      await onServer((admin) => admin.prisma.$executeRawUnsafe(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`));
      await until(async () => (await bot.post(update)) === 200, "the webhook to take updates again", 30_000);
      await until(() => texts(tg().messagesTo(7777)).some((t) => t.includes("Что умеет Qanat")), "the update to be handled", 30_000).catch((e) => {
        throw new Error(`${e.message}\n${bot.output().slice(-3000)}`);
      });
      expect(texts(tg().messagesTo(7777)).filter((t) => t.includes("Что умеет Qanat"))).toHaveLength(1);
      bot.child.kill("SIGTERM");
      expect((await bot.exited).code).toBe(0);
    }, 120_000);
  }
});
