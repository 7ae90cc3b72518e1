import type { ConversationFlavor } from "@grammyjs/conversations";
import type { Context } from "grammy";
import type { WorkingCalendar } from "../flows/calendar/working-calendar.js";
import type { Catalog } from "../flows/catalog/load.js";
import type { FileStore } from "./files/file-store.js";
import type { I18n, Lang, Translate } from "./i18n.js";
import type { Logger } from "./logger.js";
import type { Lifecycle } from "../flows/workflow/lifecycle.js";
import type { FloodLimit } from "./features/flood.js";
import type { CaseStore } from "./store/cases.js";
import type { BroadcastStore } from "./store/broadcasts.js";
import type { Workflow } from "./store/workflow.js";
import type { Database } from "./store/database.js";
import type { DraftStore } from "./store/drafts.js";
import type { UserRecord, UserStore } from "./store/users.js";

export interface BaseContext extends Context {
  user: UserRecord;
  /** the user's chosen language, or the client's until they choose */
  lang: Lang;
  t: Translate;
}

export type BotContext = ConversationFlavor<BaseContext>;

export interface Deps {
  token: string;
  apiRoot: string;
  adminIds: bigint[];
  maxFileBytes: number;
  database: Database;
  users: UserStore;
  drafts: DraftStore;
  cases: CaseStore;
  catalog: Catalog;
  lifecycle: Lifecycle;
  workflow: Workflow;
  broadcasts: BroadcastStore;
  /** a staff group chat for case notices instead of each staff member */
  staffChatId?: bigint;
  /** how many updates a user may send in a window before the rest are dropped */
  flood: FloodLimit;
  /** tells the outbox sender there is something to send (it also polls) */
  wakeSender: () => void;
  calendar: WorkingCalendar;
  i18n: I18n;
  logger: Logger;
  files: FileStore;
  /** the clock, so tests can put a submission on any day */
  now: () => Date;
  /** the network under the Bot API client (tests put a fake Bot API here) */
  fetch?: typeof fetch;
}
