// Builds the bot's dependencies from its parts; the entry point and the tests use the same
// wiring, so what is tested is what runs.
import path from "node:path";
import type { WorkingCalendar } from "../flows/calendar/working-calendar.js";
import type { Catalog } from "../flows/catalog/load.js";
import type { Lifecycle } from "../flows/workflow/lifecycle.js";
import type { FloodLimit } from "./features/flood.js";
import type { Deps } from "./context.js";
import { createFileStore } from "./files/file-store.js";
import type { I18n } from "./i18n.js";
import type { Logger } from "./logger.js";
import { createBroadcastStore } from "./store/broadcasts.js";
import { createCaseStore } from "./store/cases.js";
import type { Database } from "./store/database.js";
import { createDraftStore } from "./store/drafts.js";
import { createUserStore } from "./store/users.js";
import { createWorkflow } from "./store/workflow.js";

export interface DepsInput {
  token: string;
  apiRoot: string;
  adminIds: bigint[];
  staffChatId?: bigint;
  maxFileBytes: number;
  database: Database;
  catalog: Catalog;
  calendar: WorkingCalendar;
  lifecycle: Lifecycle;
  i18n: I18n;
  logger: Logger;
  dataDir: string;
  now: () => Date;
  fetch?: typeof fetch;
  flood?: FloodLimit;
}

export function buildDeps(p: DepsInput): Deps {
  const prisma = p.database.prisma;
  const workflow = createWorkflow({
    db: prisma,
    notices: { i18n: p.i18n, catalog: p.catalog, calendar: p.calendar, lifecycle: p.lifecycle },
    ...(p.staffChatId !== undefined ? { staffChatId: p.staffChatId } : {}),
  });
  return {
    token: p.token,
    apiRoot: p.apiRoot,
    adminIds: p.adminIds,
    ...(p.staffChatId !== undefined ? { staffChatId: p.staffChatId } : {}),
    maxFileBytes: p.maxFileBytes,
    database: p.database,
    users: createUserStore(prisma),
    drafts: createDraftStore(prisma),
    cases: createCaseStore(prisma, { onSubmitted: workflow.onSubmitted }),
    workflow,
    broadcasts: createBroadcastStore(prisma, p.lifecycle),
    catalog: p.catalog,
    calendar: p.calendar,
    lifecycle: p.lifecycle,
    i18n: p.i18n,
    logger: p.logger,
    files: createFileStore({ apiRoot: p.apiRoot, token: p.token, dir: path.join(p.dataDir, "files"), ...(p.fetch ? { fetch: p.fetch } : {}) }),
    now: p.now,
    wakeSender: () => {},
    flood: p.flood ?? { limit: 30, windowMs: 10_000 },
    ...(p.fetch ? { fetch: p.fetch } : {}),
  };
}
