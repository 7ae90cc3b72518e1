import { Composer, InlineKeyboard } from "grammy";
import type { BotContext, Deps } from "../context.js";
import { cb, parseCallback } from "../callbacks.js";
import { formatDateTime, html } from "../format.js";
import { computeTimeline } from "../../flows/timeline.js";
import { taskButtons } from "../notices.js";
import { caseCardText, deadlineText } from "./case-card.js";
import { CONVERSATION, enterPhase } from "../../flows/application/index.js";
import { mainMenu } from "./keyboards.js";

/** New application (with the draft offered back), my applications, a case's card, the procedure. */
export function applicantFeature(deps: Deps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");

  pm.on("callback_query:data", async (ctx, next) => {
    const data = parseCallback(ctx.callbackQuery.data);
    if (data?.kind === "menu" && data.item === "new") {
      await ctx.answerCallbackQuery();
      await ctx.conversation.exitAll();
      const draft = await deps.drafts.get(ctx.from.id);
      if (draft) {
        const sv = deps.catalog.stored(draft.serviceId, draft.variant);
        const done = sv.checklist.filter((i) => draft.files.some((f) => f.itemId === i.id)).length;
        await ctx.reply(
          ctx.t("draft.exists", {
            service: sv.service.shortTitle[ctx.lang],
            variant: ctx.t(`variant.${draft.variant}`),
            done,
            total: sv.checklist.length,
            interpolation: { escapeValue: false },
          }),
          {
            ...html,
            reply_markup: new InlineKeyboard().text(ctx.t("draft.continue"), cb.menu("resume")).row().text(ctx.t("draft.discard"), cb.menu("discard")),
          },
        );
        return;
      }
      await ctx.conversation.enter(CONVERSATION.start);
      return;
    }
    if (data?.kind === "menu" && data.item === "resume") {
      await ctx.answerCallbackQuery();
      const draft = await deps.drafts.get(ctx.from.id);
      if (!draft) {
        await ctx.reply(ctx.t("draft.gone"), { ...html, reply_markup: mainMenu(ctx.t) });
        return;
      }
      await deps.drafts.update(ctx.from.id, { active: true });
      await enterPhase(ctx, draft.phase);
      return;
    }
    if (data?.kind === "menu" && data.item === "discard") {
      await ctx.answerCallbackQuery();
      await ctx.conversation.exitAll();
      await deps.drafts.remove(ctx.from.id);
      deps.logger.info({ userId: ctx.from.id }, "draft discarded");
      await ctx.reply(ctx.t("draft.discarded"), html);
      await ctx.conversation.enter(CONVERSATION.start);
      return;
    }
    if (data?.kind === "menu" && data.item === "cases") {
      await ctx.answerCallbackQuery();
      const cases = await deps.cases.listForUser(ctx.from.id);
      if (!cases.length) {
        await ctx.reply(ctx.t("cases.none"), { ...html, reply_markup: mainMenu(ctx.t) });
        return;
      }
      const kb = new InlineKeyboard();
      const lines = cases.map((c) => {
        kb.text(c.number, cb.case(c.id)).row();
        const next = deadlineText(deps, ctx.t, ctx.lang, c);
        return ctx.t("cases.line", {
          number: c.number,
          service: deps.catalog.stored(c.serviceId, c.variant).service.shortTitle[ctx.lang],
          variant: ctx.t(`variant.${c.variant}`),
          stage: ctx.t(`stage.${c.stage}`),
          next: next ? `\n${next}` : "",
          interpolation: { escapeValue: false },
        });
      });
      await ctx.reply([ctx.t("cases.title"), "", ...lines].join("\n\n"), { ...html, reply_markup: kb.text(ctx.t("menu.home"), cb.menu("home")) });
      return;
    }
    if (data?.kind === "case") {
      const c = await deps.cases.getForUser(ctx.from.id, data.caseId);
      if (!c) {
        // Someone else's case, or a forged id: nothing is revealed.
        await ctx.answerCallbackQuery({ text: ctx.t("cases.notFound") });
        return;
      }
      await ctx.answerCallbackQuery();
      const kb = taskButtons(deps.lifecycle, deps.catalog, ctx.t, c);
      await ctx.reply(caseCardText(deps, ctx.t, ctx.lang, c, "applicant"), {
        ...html,
        reply_markup: kb.text(ctx.t("menu.cases"), cb.menu("cases")).text(ctx.t("menu.home"), cb.menu("home")),
      });
      return;
    }
    if (data?.kind === "applicant") {
      await ctx.answerCallbackQuery();
      await ctx.conversation.exitAll();
      await ctx.conversation.enter(CONVERSATION.caseDocuments, { caseId: data.caseId, task: data.task });
      return;
    }
    if (data?.kind === "menu" && data.item === "about") {
      await ctx.answerCallbackQuery();
      await ctx.reply(aboutText(ctx, deps), { ...html, reply_markup: mainMenu(ctx.t) });
      return;
    }
    return next();
  });
  return composer;
}

function aboutText(ctx: BotContext, deps: Deps): string {
  const from = deps.now();
  const services = deps.catalog.all().map((s) => {
    const issuance = computeTimeline(deps.calendar, deps.catalog.get(s.id, "issuance"), from);
    const duplicate = computeTimeline(deps.calendar, deps.catalog.get(s.id, "duplicate"), from);
    return ctx.t("about.service", {
      service: s.title[ctx.lang],
      issuance: formatDateTime(ctx.t, issuance.due),
      duplicate: formatDateTime(ctx.t, duplicate.due),
      interpolation: { escapeValue: false },
    });
  });
  return [ctx.t("about.text"), "", ctx.t("about.ifToday"), ...services].join("\n");
}
