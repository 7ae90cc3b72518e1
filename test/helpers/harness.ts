import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import type { Bot } from "grammy";
import { createBackground, type Background } from "../../bot/background.js";
import { createBot } from "../../bot/create-bot.js";
import type { BotContext, Deps } from "../../bot/context.js";
import { buildDeps } from "../../bot/deps.js";
import { applyConfiguredRoles } from "../../bot/features/admin.js";
import { createI18n } from "../../bot/i18n.js";
import type { Database } from "../../bot/store/database.js";
import { loadCalendar } from "../../flows/calendar/load.js";
import { loadCatalog } from "../../flows/catalog/load.js";
import { loadLifecycle } from "../../flows/workflow/lifecycle.js";
import { UpdateInbox, type InboxOptions } from "../../bot/updates/inbox.js";
import { API_ROOT, FakeTelegram, FakeUser, TOKEN, botInfo } from "./fake-telegram.js";

export interface Harness {
  bot: Bot<BotContext>;
  /** the outbox sender, reminders and broadcast progress, on the test clock */
  background: Background;
  /** sends everything due, letting the test clock run through the waits */
  drain(): Promise<void>;
  tg: FakeTelegram;
  deps: Deps;
  filesDir: string;
  user(id: number, languageCode?: string): FakeUser;
  /** Another instance (as on another server) on the same or another connection to the database, with its update inbox. */
  instance(database?: Database, inbox?: Partial<InboxOptions>): Instance;
  /** A new bot process on the same database and files: nothing in memory survives. */
  restart(database?: Database): Promise<void>;
  clock: { now: Date };
}

export interface Instance {
  deps: Deps;
  bot: Bot<BotContext>;
  background: Background;
  inbox: UpdateInbox;
}

export interface HarnessOptions {
  now?: Date;
  maxFileBytes?: number;
  adminIds?: number[];
  staffChatId?: number;
  perSecond?: number;
  /** the flood limit; by default high, since a test's clock stands still between updates */
  flood?: { limit: number; windowMs: number };
}

export async function createHarness(database: Database, options: HarnessOptions = {}): Promise<Harness> {
  const tg = new FakeTelegram();
  const filesDir = await mkdtemp(path.join(os.tmpdir(), "qanat-files-"));
  const clock = { now: options.now ?? new Date("2026-03-05T12:00:00+05:00") };
  tg.now = () => clock.now.getTime();
  const i18n = await createI18n();
  const catalog = loadCatalog();
  const calendar = loadCalendar();
  const lifecycle = loadLifecycle();
  const build = (db: Database): Deps =>
    buildDeps({
      token: TOKEN,
      apiRoot: API_ROOT,
      adminIds: (options.adminIds ?? []).map(BigInt),
      ...(options.staffChatId !== undefined ? { staffChatId: BigInt(options.staffChatId) } : {}),
      maxFileBytes: options.maxFileBytes ?? 20 * 1024 * 1024,
      database: db,
      catalog,
      calendar,
      lifecycle,
      i18n,
      logger: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }),
      dataDir: filesDir,
      now: () => clock.now,
      fetch: tg.fetch,
      flood: options.flood ?? { limit: 10_000, windowMs: 10_000 },
    });
  // Waits pass on the test clock at once: a broadcast "takes" minutes and runs in a second.
  const sleep = async (ms: number) => {
    clock.now = new Date(clock.now.getTime() + ms);
  };
  const wire = (deps: Deps) => {
    const bot = createBot(deps, { botInfo });
    return { bot, background: createBackground(deps, bot.api, { sleep, ...(options.perSecond ? { perSecond: options.perSecond } : {}) }) };
  };
  const h: Harness = {
    tg,
    deps: build(database),
    bot: undefined as never,
    background: undefined as never,
    drain: () => h.background.drain(),
    filesDir,
    clock,
    user: (id, languageCode) => new FakeUser(tg, () => h.bot, id, languageCode),
    instance(db = h.deps.database, inboxOptions = {}) {
      const deps = build(db);
      const { bot, background } = wire(deps);
      const inbox = new UpdateInbox({ db: db.prisma, handle: (u) => bot.handleUpdate(u), logger: deps.logger, now: deps.now, idleMs: 20, ...inboxOptions });
      return { deps, bot, background, inbox };
    },
    async restart(db = h.deps.database) {
      h.deps = build(db);
      Object.assign(h, wire(h.deps));
    },
  };
  Object.assign(h, wire(h.deps));
  await applyConfiguredRoles(h.deps);
  return h;
}
