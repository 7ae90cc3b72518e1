import { Composer } from "grammy";
import type { BotContext, Deps } from "../context.js";
import { html } from "../format.js";
import { mainMenu } from "./keyboards.js";

/** Never silence: whatever nobody understood gets an answer that shows the way. */
export function unhandledFeature(deps: Deps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on("callback_query", async (ctx) => {
    deps.logger.debug({ userId: ctx.from.id }, "unknown or stale callback");
    await ctx.answerCallbackQuery({ text: ctx.t("errors.staleButton") });
  });
  composer.chatType("private").on("message", async (ctx) => {
    const isCommand = ctx.message.text?.startsWith("/");
    await ctx.reply(ctx.t(isCommand ? "errors.unknownCommand" : "errors.notUnderstood"), { ...html, reply_markup: mainMenu(ctx.t) });
  });
  return composer;
}
