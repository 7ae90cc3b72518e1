// Broadcasts to thousands through a fake Bot API that enforces a rate (429), has users who
// blocked the bot (403) and fails now and then (502): everyone is served exactly once.
import { beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../bot/store/database.js";
import { texts } from "./helpers/fake-telegram.js";
import type { Harness } from "./helpers/harness.js";
import { botTests } from "./helpers/suite.js";

let db: Database;
let h: Harness;
const ADMIN = 900;
const FIRST = 100_000;
const COUNT = 3000;
const isBlocked = (id: number) => id % 20 === 0;

botTests({ now: new Date("2026-03-05T10:00:00+05:00"), adminIds: [ADMIN] }, (d, x) => {
  db = d;
  h = x;
});
beforeEach(async () => {
  await db.prisma.user.createMany({
    data: Array.from({ length: COUNT }, (_, i) => ({ id: BigInt(FIRST + i), language: i % 2 ? "ru" : "kk", firstName: `U${i}` })),
  });
  // Telegram: 25 messages a second at most (stricter than the sender's 30), 403 for those who
  // blocked the bot, and a 502 on the first try for every 97th user.
  h.tg.maxPerSecond = 25;
  const tried = new Set<number>();
  h.tg.fail = (method, p) => {
    if (method !== "sendMessage") return undefined;
    const id = Number(p.chat_id);
    if (id >= FIRST && isBlocked(id)) return { error_code: 403, description: "Forbidden: bot was blocked by the user" };
    if (id >= FIRST && id % 97 === 0 && !tried.has(id)) {
      tried.add(id);
      return { error_code: 502, description: "Bad Gateway" };
    }
    return undefined;
  };
});

async function startBroadcast(textKk: string, textRu: string | "same") {
  const admin = h.user(ADMIN, "ru");
  await admin.say("/start");
  await admin.press("l:ru");
  let r = await admin.say("/broadcast");
  expect(texts(r)).toEqual(["Кому отправить сообщение?"]);
  await admin.press("x:aud:all");
  await admin.say(textKk);
  r = textRu === "same" ? await admin.press("x:same") : await admin.say(textRu);
  return { admin, preview: r };
}

const perChat = () => {
  const counts = new Map<number, number>();
  for (const c of h.tg.calls) if (c.method === "sendMessage") counts.set(Number(c.payload.chat_id), (counts.get(Number(c.payload.chat_id)) ?? 0) + 1);
  return counts;
};

describe("broadcast", () => {
  it("reaches a few thousand users within the rate limit, each once, in their language; blocked users are marked and skipped next time", async () => {
    const { admin, preview } = await startBroadcast("Ертең <b>жүйе</b> жұмыс істемейді.", "Завтра система не работает.");
    expect(texts(preview)[0]).toBe("<b>Предпросмотр.</b> Получателей: 3001. Каждый получит текст на своём языке:");
    expect(texts(preview)[1]).toBe("🇰🇿\nЕртең &lt;b&gt;жүйе&lt;/b&gt; жұмыс істемейді.");
    expect(texts(preview)[2]).toBe("🇷🇺\nЗавтра система не работает.");
    const t0 = h.clock.now.getTime();
    let r = await admin.press("x:ok");
    expect(texts(r)).toEqual(["📤 Рассылка запущена: 3001 получателей."]);
    const before = h.tg.calls.length;
    await h.drain();
    const seconds = (h.clock.now.getTime() - t0) / 1000;

    const counts = perChat();
    for (let i = 0; i < COUNT; i++) {
      const id = FIRST + i;
      expect(counts.get(id) ?? 0, `user ${id}`).toBe(isBlocked(id) ? 0 : 1);
    }
    const sample = h.tg.calls.filter((c) => c.method === "sendMessage" && Number(c.payload.chat_id) === FIRST + 1)[0]!;
    expect(sample.payload.text).toBe("Завтра система не работает.");
    expect(h.tg.calls.find((c) => c.method === "sendMessage" && Number(c.payload.chat_id) === FIRST + 2)!.payload.text).toBe(
      "Ертең &lt;b&gt;жүйе&lt;/b&gt; жұмыс істемейді.",
    );
    // Paced: never faster than 30 a second, and not much slower than Telegram allows.
    const sent = COUNT - COUNT / 20 + 1;
    expect(seconds).toBeGreaterThanOrEqual(sent / 30);
    expect(seconds).toBeLessThan((sent / 25) * 1.5);

    expect(await db.prisma.user.count({ where: { blockedBot: true } })).toBe(COUNT / 20);
    const statuses = await db.prisma.outbox.groupBy({ by: ["status"], where: { kind: "broadcast" }, _count: { _all: true } });
    expect(Object.fromEntries(statuses.map((s) => [s.status, s._count._all]))).toEqual({ sent: 2851, blocked: 150 });
    // Progress while it ran, and the report at the end.
    expect(h.tg.since(before).some((c) => c.method === "editMessageText" && String(c.payload.text).startsWith("📤 Рассылка: "))).toBe(true);
    expect(h.tg.messagesTo(ADMIN).at(-1)!.payload.text).toBe(
      "✅ Рассылка завершена. Всего: 3001; доставлено: 2851; не доставлено: 0; заблокировали бота: 150.",
    );

    // The next broadcast leaves out those who blocked the bot.
    h.clock.now = new Date(h.clock.now.getTime() + 2000);
    const next = await startBroadcast("Екінші хабарлама", "same");
    expect(texts(next.preview)[0]).toContain("Получателей: 2851.");
    expect(texts(next.preview)[2]).toBe("🇷🇺\nЕкінші хабарлама");
    r = await admin.press("x:no");
    expect(texts(r)).toEqual(["Отменено, ничего не изменено."]);
    expect(await db.prisma.broadcast.count()).toBe(1);
  }, 120_000);

  it("survives a restart in the middle without sending anyone a message twice; a message cut off mid-send is not repeated", async () => {
    const { admin } = await startBroadcast("Хабарлама", "Сообщение");
    await admin.press("x:ok");
    while (perChat().size < 600) if (!(await h.background.sender.runOnce())) h.clock.now = new Date(h.clock.now.getTime() + 1000);
    const halfway = perChat();
    expect(halfway.size).toBeGreaterThan(100);
    expect(halfway.size).toBeLessThan(COUNT);
    // A process killed after marking a row "sending" and before hearing back from Telegram:
    const cut = await db.prisma.outbox.findFirstOrThrow({ where: { status: "pending", kind: "broadcast" }, orderBy: { id: "asc" } });
    await db.prisma.outbox.update({ where: { id: cut.id }, data: { status: "sending", lockedUntil: new Date(h.clock.now.getTime() + 60_000) } });

    await h.restart();
    h.clock.now = new Date(h.clock.now.getTime() + 61_000);
    await h.drain();
    const counts = perChat();
    for (let i = 0; i < COUNT; i++) {
      const id = FIRST + i;
      expect(counts.get(id) ?? 0, `user ${id}`).toBe(isBlocked(id) || BigInt(id) === cut.chatId ? 0 : 1);
    }
    expect((await db.prisma.outbox.findUniqueOrThrow({ where: { id: cut.id } })).status).toBe("uncertain");
    expect(h.tg.messagesTo(ADMIN).at(-1)!.payload.text).toBe(
      "✅ Рассылка завершена. Всего: 3001; доставлено: 2850; не доставлено: 0; заблокировали бота: 150. Отправка 1 сообщ. была прервана остановкой бота: они не повторялись, доставка не подтверждена.",
    );
  }, 120_000);
});
