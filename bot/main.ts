// Entry: config → database (migrated) → createBot(deps) → long polling; clean shutdown on SIGTERM.
import path from "node:path";
import { loadCalendar } from "../flows/calendar/load.js";
import { loadCatalog } from "../flows/catalog/load.js";
import { DataFileError } from "../flows/data-file.js";
import { ConfigError, loadConfig } from "./config.js";
import { createBot, setCommandMenu } from "./create-bot.js";
import { createFileStore } from "./files/file-store.js";
import { createI18n } from "./i18n.js";
import { createLogger } from "./logger.js";
import { createCaseStore } from "./store/cases.js";
import { openDatabase } from "./store/database.js";
import { createDraftStore } from "./store/drafts.js";
import { createUserStore } from "./store/users.js";

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const catalog = loadCatalog();
  const calendar = loadCalendar(undefined, {
    onFallbackYear: (year) =>
      logger.warn({ year }, "no calendar data for this year: using the holidays law without transfers; add flows/calendar/data/<year>.json"),
  });
  const i18n = await createI18n();
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, pgliteDir: path.join(config.DATA_DIR, "pglite") });
  logger.info({ database: database.kind }, "database ready");
  // Say now, not at the first deadline, when this year or the next has no calendar file.
  for (const year of [new Date().getUTCFullYear(), new Date().getUTCFullYear() + 1]) calendar.isWorkingDay(`${year}-01-01`);

  const bot = createBot({
    token: config.BOT_TOKEN,
    apiRoot: config.BOT_API_ROOT,
    adminIds: config.ADMIN_IDS,
    maxFileBytes: config.MAX_FILE_MB * 1024 * 1024,
    database,
    users: createUserStore(database.prisma),
    drafts: createDraftStore(database.prisma),
    cases: createCaseStore(database.prisma),
    catalog,
    calendar,
    i18n,
    logger,
    files: createFileStore({ apiRoot: config.BOT_API_ROOT, token: config.BOT_TOKEN, dir: path.join(config.DATA_DIR, "files") }),
    now: () => new Date(),
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping");
    await bot.stop();
    await database.close();
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));

  if (config.BOT_MODE === "webhook") {
    throw new ConfigError("BOT_MODE=webhook is not available yet: run with BOT_MODE=polling (the default)");
  }
  await setCommandMenu(bot, i18n);
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
