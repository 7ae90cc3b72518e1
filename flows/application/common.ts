import type { Conversation } from "@grammyjs/conversations";
import { InlineKeyboard, type Context } from "grammy";
import type { BaseContext, BotContext, Deps } from "../../bot/context.js";
import { parseCallback, type Callback } from "../../bot/callbacks.js";
import { html } from "../../bot/format.js";
import type { Lang, Translate } from "../../bot/i18n.js";
import type { DraftRecord } from "../../bot/store/drafts.js";

export type Conv = Conversation<BotContext, Context>;

/** Conversation ids are stored with the state: renaming one orphans conversations in progress. */
export const CONVERSATION = {
  start: "apply-start",
  details: "apply-details",
  item: "apply-item",
  review: "apply-review",
  caseDocuments: "case-documents",
} as const;

export const PHASE_CONVERSATION: Record<string, string> = {
  details: CONVERSATION.details,
  documents: CONVERSATION.item,
  review: CONVERSATION.review,
};

export interface Session {
  lang: Lang;
  t: Translate;
  userId: number;
}

export async function openSession(conversation: Conv, deps: Deps): Promise<Session> {
  const { lang, userId } = await conversation.external((octx: BaseContext) => ({ lang: octx.lang, userId: octx.from!.id }));
  return { lang, t: deps.i18n.t(lang), userId };
}

export function loadDraft(conversation: Conv, deps: Deps, userId: number): Promise<DraftRecord | null> {
  return conversation.external(() => deps.drafts.get(userId));
}

export { html };

/**
 * Waits for the next update this step understands. Presses that belong to the menu or other
 * features pass through to them; a stale application button is answered and ignored; anything
 * else is given to `onMessage`, which replies itself when the input is wrong.
 */
export async function waitInput<T>(
  conversation: Conv,
  t: Translate,
  handlers: {
    onCallback?: (data: Callback, ctx: Context) => T | undefined;
    onMessage?: (ctx: Context) => Promise<T | undefined>;
    /** what the step expects, said when the update is of a kind it cannot use */
    expected: string;
    /** the presses this conversation owns: the application's "a:", the staff's "x:" */
    prefix?: string;
  },
): Promise<{ value: T; ctx: Context }> {
  for (;;) {
    const ctx = await conversation.wait();
    if (ctx.callbackQuery) {
      const data = parseCallback(ctx.callbackQuery.data);
      if (data && !(data.kind === "action" && data.action === "cancel") && ctx.callbackQuery.data?.startsWith(handlers.prefix ?? "a:")) {
        const value = handlers.onCallback?.(data, ctx);
        if (value !== undefined) {
          await ctx.answerCallbackQuery();
          return { value, ctx };
        }
        await ctx.answerCallbackQuery({ text: t("errors.staleButton") });
        continue;
      }
      await conversation.skip({ next: true });
    }
    // Commands belong to the handlers below the conversations (/cancel, /help, /language …).
    if (ctx.message?.text?.startsWith("/")) await conversation.skip({ next: true });
    if (ctx.message && handlers.onMessage) {
      const value = await handlers.onMessage(ctx);
      if (value !== undefined) return { value, ctx };
      continue;
    }
    if (ctx.message) {
      await ctx.reply(handlers.expected, html);
      continue;
    }
    await conversation.skip({ next: true });
  }
}

export function cancelRow(kb: InlineKeyboard, t: Translate): InlineKeyboard {
  return kb.row().text(t("buttons.cancel"), "a:cancel");
}
