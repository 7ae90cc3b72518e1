// Entry: config → database (migrated) → createBot(deps) → background work → long polling;
// clean shutdown on SIGTERM.
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
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, pgliteDir: path.join(config.DATA_DIR, "pglite") });
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
  const background = createBackground(deps, bot.api);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping");
    await bot.stop();
    await background.stop();
    await database.close();
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));

  if (config.BOT_MODE === "webhook") {
    throw new ConfigError("BOT_MODE=webhook is not available yet: run with BOT_MODE=polling (the default)");
  }
  await setDefaultCommands(bot.api, i18n);
  await applyConfiguredRoles(deps, bot.api);
  background.start();
  await bot.start({ drop_pending_updates: false, onStart: (me) => logger.info({ username: me.username }, "polling started") });
}

main().catch((error) => {
  if (error instanceof ConfigError || error instanceof DataFileError) {
    console.error(error.message);
  } else {
    console.error("Qanat could not start:", error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
