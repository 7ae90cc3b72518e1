// A user who sends a flood of updates gets one polite answer and the rest are dropped until
// the window clears. Kept in memory per instance: a limit, not an accounting.
import type { MiddlewareFn } from "grammy";
import type { BotContext, Deps } from "../context.js";
import { html } from "../format.js";

export interface FloodLimit {
  /** updates a user may send within the window */
  limit: number;
  windowMs: number;
}

export function floodGuard(deps: Deps): MiddlewareFn<BotContext> {
  const { limit, windowMs } = deps.flood;
  const seen = new Map<number, { times: number[]; warned: boolean }>();
  return async (ctx, next) => {
    const id = ctx.from?.id;
    if (!id || ctx.chat?.type !== "private") return next();
    const now = deps.now().getTime();
    if (seen.size > 50_000) for (const [k, v] of seen) if (!v.times.some((t) => t > now - windowMs)) seen.delete(k);
    const s = seen.get(id) ?? { times: [], warned: false };
    s.times = s.times.filter((t) => t > now - windowMs);
    s.times.push(now);
    seen.set(id, s);
    if (s.times.length <= limit) {
      s.warned = false;
      return next();
    }
    if (ctx.callbackQuery) await ctx.answerCallbackQuery(s.warned ? {} : { text: ctx.t("errors.flood") });
    else if (!s.warned) await ctx.reply(ctx.t("errors.flood"), html);
    if (!s.warned) deps.logger.warn({ userId: id }, "flood: updates dropped");
    s.warned = true;
  };
}
