import { brief } from "./logger.js";
import { conversations } from "@grammyjs/conversations";
import { Bot, BotError, GrammyError, HttpError, type Context } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { applicationConversations, draftRouter } from "../flows/application/index.js";
import type { BaseContext, BotContext, Deps } from "./context.js";
import { applicantFeature } from "./features/applicant.js";
import { startFeature } from "./features/start.js";
import { unhandledFeature } from "./features/unhandled.js";
import { staffFeature } from "./features/staff.js";
import { floodGuard } from "./features/flood.js";
import { adminFeature } from "./features/admin.js";
import { staffConversations } from "../flows/staff/index.js";
import { langFromClient, isLang } from "./i18n.js";
import { createConversationStorage } from "./store/conversation-storage.js";
import { isDatabaseUnavailable } from "./store/database.js";
import { html } from "./format.js";

/**
 * Bump when a conversation's code changes in a way that breaks the replay of stored
 * conversations: they are then discarded, and the draft router resumes the application
 * where the draft says it is.
 */
export const CONVERSATION_VERSION = 2;

export function createBot(deps: Deps, options: { botInfo?: UserFromGetMe } = {}): Bot<BotContext> {
  const bot = new Bot<BotContext>(deps.token, {
    client: { apiRoot: deps.apiRoot, ...(deps.fetch ? { fetch: deps.fetch } : {}) },
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  });

  // Who is talking, and in which language: the stored choice, else the client's, else Kazakh.
  bot.use(async (ctx, next) => {
    if (ctx.from) {
      ctx.user = await deps.users.touch(ctx.from);
      ctx.lang = isLang(ctx.user.language) ? ctx.user.language : (langFromClient(ctx.from.language_code) ?? "kk");
    } else {
      ctx.lang = "kk";
    }
    ctx.t = deps.i18n.t(ctx.lang);
    await next();
  });

  bot.use(floodGuard(deps));

  bot.use(
    conversations<BotContext, Context>({
      storage: {
        type: "key",
        version: CONVERSATION_VERSION,
        prefix: "conv:",
        getStorageKey: (ctx) => (ctx.chat?.type === "private" ? String(ctx.chat.id) : undefined),
        adapter: createConversationStorage(deps.database.prisma),
      },
    }),
  );

  bot.errorBoundary(
    onError(deps),
    applicationConversations(deps),
    staffConversations(deps),
    startFeature(deps),
    applicantFeature(deps),
    staffFeature(deps),
    adminFeature(deps),
    draftRouter(deps),
    unhandledFeature(deps),
  );

  bot.catch(onError(deps));
  return bot;
}

function onError(deps: Deps) {
  return async (err: BotError<BotContext>) => {
    const ctx = err.ctx as BaseContext;
    const e = err.error;
    // The database is gone: the update is not done. Thrown on, it stays in the inbox and is
    // handled again when the database is back (nothing is said to the user twice).
    if (isDatabaseUnavailable(e)) throw e;
    const kind = e instanceof GrammyError ? "telegram" : e instanceof HttpError ? "network" : "internal";
    deps.logger.error(
      { kind, updateId: ctx.update.update_id, err: brief(e), stack: e instanceof Error ? e.stack?.split("\n").slice(1, 6).join("\n") : undefined },
      "update failed",
    );
    // The draft is saved at every step: tell the user so, in their language, and keep going.
    try {
      if (ctx.chat?.type === "private" && ctx.t) await ctx.reply(ctx.t("errors.internal"), html);
    } catch {
      /* Telegram unreachable: nothing more to say */
    }
  };
}
