// Entry: config → database (migrated) → bot → the update inbox with its workers, fed by the
// webhook or by long polling → background work; clean shutdown on SIGTERM.
import path from "node:path";
import { loadCalendar } from "../flows/calendar/load.js";
import { loadCatalog } from "../flows/catalog/load.js";
import { DataFileError } from "../flows/data-file.js";
import { loadLifecycle } from "../flows/workflow/lifecycle.js";
import { createBackground } from "./background.js";
import { setDefaultCommands } from "./command-menu.js";
import { ConfigError, loadConfig } from "./config.js";
import { createBot } from "./create-bot.js";
import { buildDeps } from "./deps.js";
import { applyConfiguredRoles } from "./features/admin.js";
import { createI18n } from "./i18n.js";
import { createLogger } from "./logger.js";
import { openDatabase } from "./store/database.js";
import { UpdateInbox } from "./updates/inbox.js";
import { ALLOWED_UPDATES, startPolling } from "./updates/polling.js";
import { WEBHOOK_PATH, startServer } from "./updates/server.js";

class StartError extends Error {}

/** The URL without its password, for messages. */
const safeUrl = (url: string) => url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const catalog = loadCatalog();
  const lifecycle = loadLifecycle();
  const calendar = loadCalendar(undefined, {
    onFallbackYear: (year) =>
      logger.warn({ year }, "no calendar data for this year: using the holidays law without transfers; add flows/calendar/data/<year>.json"),
  });
  const i18n = await createI18n();
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, pgliteDir: path.join(config.DATA_DIR, "pglite") }).catch((error) => {
    const where = config.DATABASE_URL ? `the PostgreSQL server at ${safeUrl(config.DATABASE_URL)}` : `the embedded database in ${config.DATA_DIR}/pglite`;
    throw new StartError(`Qanat could not open ${where}: ${error instanceof Error ? error.message : error}`);
  });
  logger.info({ database: database.kind }, "database ready");
  // Say now, not at the first deadline, when this year or the next has no calendar file.
  for (const year of [new Date().getUTCFullYear(), new Date().getUTCFullYear() + 1]) calendar.isWorkingDay(`${year}-01-01`);

  const deps = buildDeps({
    token: config.BOT_TOKEN,
    apiRoot: config.BOT_API_ROOT,
    adminIds: config.ADMIN_IDS,
    ...(config.STAFF_CHAT_ID !== undefined ? { staffChatId: config.STAFF_CHAT_ID } : {}),
    maxFileBytes: config.MAX_FILE_MB * 1024 * 1024,
    database,
    catalog,
    calendar,
    lifecycle,
    i18n,
    logger,
    dataDir: config.DATA_DIR,
    now: () => new Date(),
  });
  const bot = createBot(deps);
  await bot.init().catch((error) => {
    throw new StartError(`Qanat could not reach the Bot API at ${config.BOT_API_ROOT}: ${error instanceof Error ? error.message : error}`);
  });
  const inbox = new UpdateInbox({ db: database.prisma, handle: (u) => bot.handleUpdate(u), logger, now: deps.now, leaseMs: config.INBOX_LEASE_SECONDS * 1000 });
  const background = createBackground(deps, bot.api);
  const webhook = config.BOT_MODE === "webhook" ? config : undefined;
  const server = await startServer({
    port: config.PORT,
    database,
    inbox,
    logger,
    ...(webhook ? { secret: webhook.WEBHOOK_SECRET } : {}),
    describe: () => ({ username: bot.botInfo.username, mode: config.BOT_MODE, instance: inbox.instanceId }),
  });
  logger.info({ port: server.port, mode: config.BOT_MODE }, "http server listening (GET /healthz)");

  let polling: { stop(): Promise<void> } | undefined;
  if (webhook) {
    if (webhook.WEBHOOK_URL) {
      const url = webhook.WEBHOOK_URL.replace(/\/+$/, "").endsWith(WEBHOOK_PATH)
        ? webhook.WEBHOOK_URL
        : `${webhook.WEBHOOK_URL.replace(/\/+$/, "")}${WEBHOOK_PATH}`;
      await bot.api.setWebhook(url, { secret_token: webhook.WEBHOOK_SECRET, allowed_updates: [...ALLOWED_UPDATES] });
      logger.info({ url }, "webhook registered");
    }
  } else {
    await bot.api.deleteWebhook();
    polling = startPolling(bot.api, inbox, logger);
  }
  await setDefaultCommands(bot.api, i18n);
  await applyConfiguredRoles(deps, bot.api, config.STAFF_IDS);
  inbox.start();
  background.start();
  const housekeeping = setInterval(() => void inbox.forgetOld().catch(() => undefined), 3_600_000);
  logger.info({ username: bot.botInfo.username, mode: config.BOT_MODE, instance: inbox.instanceId }, "qanat started");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: no new updates; finishing what is in hand");
    clearInterval(housekeeping);
    // A webhook call that arrives now gets no answer and is delivered again, to another instance.
    server.close();
    server.closeIdleConnections();
    await polling?.stop();
    await inbox.stop();
    await background.stop();
    await database.close();
    logger.info("stopped");
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}

/**
 * Without a bot token (or with SANDBOX=1) the bot runs against the local sandbox: a Bot API
 * server and a web chat, with an applicant, a staff member and an admin to play.
 */
async function entry() {
  if (process.env.SANDBOX === "1" || !process.env.BOT_TOKEN) {
    const { startSandbox, SANDBOX_TOKEN, DEFAULT_PERSONAS } = await import("../sandbox/server.js");
    const port = Number(process.env.SANDBOX_PORT || 8080);
    const host = process.env.SANDBOX_HOST || "127.0.0.1";
    const sandbox = await startSandbox({ port, host, dataDir: process.env.DATA_DIR || "./data" }).catch((error) => {
      throw new StartError(`The sandbox could not listen on port ${port} (set SANDBOX_PORT): ${error instanceof Error ? error.message : error}`);
    });
    const ids = (plays: string) =>
      DEFAULT_PERSONAS.filter((p) => p.plays === plays)
        .map((p) => p.id)
        .join(",");
    Object.assign(process.env, { BOT_TOKEN: SANDBOX_TOKEN, BOT_API_ROOT: sandbox.url, BOT_MODE: "polling", ADMIN_IDS: ids("admin"), STAFF_IDS: ids("staff") });
    console.log(`Qanat sandbox: open http://localhost:${sandbox.port} (no Telegram needed; the bot talks to the sandbox's Bot API)`);
  }
  await main();
}

entry().catch((error) => {
  if (error instanceof ConfigError || error instanceof DataFileError || error instanceof StartError) {
    console.error(error.message);
  } else {
    console.error("Qanat could not start:", error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
