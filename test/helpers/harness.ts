import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import type { Bot } from "grammy";
import { createBot } from "../../bot/create-bot.js";
import type { BotContext, Deps } from "../../bot/context.js";
import { createFileStore } from "../../bot/files/file-store.js";
import { createI18n } from "../../bot/i18n.js";
import { createCaseStore } from "../../bot/store/cases.js";
import type { Database } from "../../bot/store/database.js";
import { createDraftStore } from "../../bot/store/drafts.js";
import { createUserStore } from "../../bot/store/users.js";
import { loadCalendar } from "../../flows/calendar/load.js";
import { loadCatalog } from "../../flows/catalog/load.js";
import { API_ROOT, FakeTelegram, FakeUser, TOKEN, botInfo } from "./fake-telegram.js";

export interface Harness {
  bot: Bot<BotContext>;
  tg: FakeTelegram;
  deps: Deps;
  filesDir: string;
  user(id: number, languageCode?: string): FakeUser;
  /** A new bot process on the same database and files: nothing in memory survives. */
  restart(database?: Database): Promise<void>;
  clock: { now: Date };
}

export async function createHarness(database: Database, options: { now?: Date; maxFileBytes?: number } = {}): Promise<Harness> {
  const tg = new FakeTelegram();
  const filesDir = await mkdtemp(path.join(os.tmpdir(), "qanat-files-"));
  const clock = { now: options.now ?? new Date("2026-03-05T12:00:00+05:00") };
  const i18n = await createI18n();
  const catalog = loadCatalog();
  const calendar = loadCalendar();
  const build = (db: Database): Deps => ({
    token: TOKEN,
    apiRoot: API_ROOT,
    adminIds: [],
    maxFileBytes: options.maxFileBytes ?? 20 * 1024 * 1024,
    database: db,
    users: createUserStore(db.prisma),
    drafts: createDraftStore(db.prisma),
    cases: createCaseStore(db.prisma),
    catalog,
    calendar,
    i18n,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }),
    files: createFileStore({ apiRoot: API_ROOT, token: TOKEN, dir: filesDir, fetch: tg.fetch }),
    now: () => clock.now,
    fetch: tg.fetch,
  });
  const h: Harness = {
    tg,
    deps: build(database),
    bot: undefined as never,
    filesDir,
    clock,
    user: (id, languageCode) => new FakeUser(tg, () => h.bot, id, languageCode),
    async restart(db = h.deps.database) {
      h.deps = build(db);
      h.bot = createBot(h.deps, { botInfo });
    },
  };
  h.bot = createBot(h.deps, { botInfo });
  return h;
}
