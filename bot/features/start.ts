import { Composer } from "grammy";
import type { BotContext, Deps } from "../context.js";
import { parseCallback } from "../callbacks.js";
import { html } from "../format.js";
import { languageKeyboard, mainMenu } from "./keyboards.js";
import { enterPhase } from "../../flows/application/index.js";

/** /start, /language, /help, /cancel and the main menu: available in any state of the chat. */
export function startFeature(deps: Deps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");

  pm.command("start", async (ctx) => {
    await ctx.conversation.exitAll();
    await ctx.reply(ctx.t("start.greeting", { name: ctx.from.first_name }), { ...html, reply_markup: languageKeyboard(ctx.lang) });
  });

  pm.command("language", async (ctx) => {
    await ctx.reply(ctx.t("language.choose"), { ...html, reply_markup: languageKeyboard(ctx.lang) });
  });

  pm.command("help", async (ctx) => {
    await ctx.reply(ctx.t("help.text", { limit: deps.maxFileBytes / 1024 / 1024 }), { ...html, reply_markup: mainMenu(ctx.t) });
  });

  pm.command("cancel", async (ctx) => cancel(ctx, deps));

  pm.on("callback_query:data", async (ctx, next) => {
    const data = parseCallback(ctx.callbackQuery.data);
    if (data?.kind === "lang") {
      await deps.users.setLanguage(ctx.from.id, data.lang);
      ctx.lang = data.lang;
      ctx.t = deps.i18n.t(data.lang);
      await ctx.answerCallbackQuery({ text: ctx.t("language.set") });
      // A conversation speaks the language it started in: restart the current part in the new one.
      const draft = await deps.drafts.get(ctx.from.id);
      if (draft?.active && Object.keys(ctx.conversation.active()).length) {
        await ctx.reply(ctx.t("language.set"), html);
        await enterPhase(ctx, draft.phase);
        return;
      }
      await ctx.reply(ctx.t("menu.title"), { ...html, reply_markup: mainMenu(ctx.t) });
      return;
    }
    if (data?.kind === "menu" && (data.item === "home" || data.item === "help")) {
      await ctx.answerCallbackQuery();
      await ctx.reply(data.item === "help" ? ctx.t("help.text", { limit: deps.maxFileBytes / 1024 / 1024 }) : ctx.t("menu.title"), {
        ...html,
        reply_markup: mainMenu(ctx.t),
      });
      return;
    }
    if (data?.kind === "action" && data.action === "cancel") {
      await ctx.answerCallbackQuery();
      await cancel(ctx, deps);
      return;
    }
    return next();
  });
  return composer;
}

async function cancel(ctx: BotContext, deps: Deps): Promise<void> {
  const hadConversation = Object.keys(ctx.conversation.active()).length > 0;
  await ctx.conversation.exitAll();
  const draft = ctx.from ? await deps.drafts.get(ctx.from.id) : null;
  if (draft && ctx.from) {
    await deps.drafts.update(ctx.from.id, { active: false });
    await ctx.reply(ctx.t("cancel.draftKept"), { ...html, reply_markup: { remove_keyboard: true } });
  } else {
    await ctx.reply(ctx.t(hadConversation ? "cancel.done" : "cancel.nothing"), { ...html, reply_markup: { remove_keyboard: true } });
  }
  await ctx.reply(ctx.t("menu.title"), { ...html, reply_markup: mainMenu(ctx.t) });
}
