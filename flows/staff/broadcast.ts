// /broadcast: audience → text in Kazakh → text in Russian (or the same) → preview with the
// number of recipients → confirm. The messages are written to the outbox at once; the sender
// delivers them within Telegram's limits and edits the progress message.
import { InlineKeyboard, type Context } from "grammy";
import type { BaseContext, Deps } from "../../bot/context.js";
import { cb } from "../../bot/callbacks.js";
import { escapeHtml } from "../../bot/i18n.js";
import type { Audience } from "../../bot/store/broadcasts.js";
import { html, openSession, waitInput, type Conv } from "../application/common.js";
import { CANCELLED, askText, stillStaff } from "./common.js";

const MAX_TEXT = 3500;

export function broadcastConversation(deps: Deps) {
  return async function broadcast(conversation: Conv, ctx: Context) {
    const { lang, t, userId } = await openSession(conversation, deps);
    if (!(await stillStaff(conversation, deps, userId))) return;
    const cancelled = (c: Context = ctx) => c.reply(t("staffInput.cancelled"), html);

    const audienceKb = new InlineKeyboard()
      .text(t("broadcast.audience.case"), cb.audience("case"))
      .row()
      .text(t("broadcast.audience.service"), cb.audience("service"))
      .row()
      .text(t("broadcast.audience.open"), cb.audience("open"))
      .row()
      .text(t("broadcast.audience.all"), cb.audience("all"))
      .row()
      .text(t("buttons.cancel"), cb.pick("no"));
    await ctx.reply(t("broadcast.chooseAudience"), { ...html, reply_markup: audienceKb });
    const { value: audience, ctx: c1 } = await waitInput<Audience | "no">(conversation, t, {
      prefix: "x:",
      expected: t("broadcast.chooseAudience"),
      onCallback: (d) => (d.kind === "audience" ? d.audience : d.kind === "pick" && d.choice === "no" ? "no" : undefined),
    });
    if (audience === "no") return void (await cancelled(c1));

    let param: string | undefined;
    if (audience === "case") {
      for (;;) {
        const number = await askText(conversation, ctx, t, t("broadcast.caseNumber"), { max: 40 });
        if (number === CANCELLED) return void (await cancelled());
        const exists = await conversation.external(async () => Boolean(await deps.cases.findByNumber(number)));
        if (exists) {
          param = number.toUpperCase();
          break;
        }
        await ctx.reply(t("staff.caseNotFound", { number }), html);
      }
    }
    if (audience === "service") {
      const kb = new InlineKeyboard();
      for (const s of deps.catalog.all()) kb.text(s.shortTitle[lang], cb.audienceService(s.id)).row();
      await ctx.reply(t("broadcast.chooseService"), { ...html, reply_markup: kb.text(t("buttons.cancel"), cb.pick("no")) });
      const { value } = await waitInput<string>(conversation, t, {
        prefix: "x:",
        expected: t("broadcast.chooseService"),
        onCallback: (d) => (d.kind === "audienceService" ? d.serviceId : d.kind === "pick" && d.choice === "no" ? "no" : undefined),
      });
      if (value === "no") return void (await cancelled());
      param = value;
    }

    const typedKk = await askText(conversation, ctx, t, t("broadcast.textKk"), { max: MAX_TEXT });
    if (typedKk === CANCELLED) return void (await cancelled());
    // Sent as HTML like every message: what staff typed is shown as typed.
    const textKk = escapeHtml(typedKk);
    const same = new InlineKeyboard().text(t("broadcast.sameText"), cb.pick("same")).row().text(t("buttons.cancel"), cb.pick("no"));
    const ru = await askText(conversation, ctx, t, t("broadcast.textRu"), {
      max: MAX_TEXT,
      extra: same,
      onExtra: (d) => (d.kind === "pick" && d.choice === "same" ? typedKk : undefined),
    });
    if (ru === CANCELLED) return void (await cancelled());
    const textRu = ru === typedKk ? textKk : escapeHtml(ru);

    const count = await conversation.external(async () => (await deps.broadcasts.recipients(audience, param)).length);
    if (count === 0) return void (await ctx.reply(t("broadcast.nobody"), html));
    await ctx.reply(t("broadcast.previewTitle", { count }), html);
    await ctx.reply(`🇰🇿\n${textKk}`, html);
    await ctx.reply(`🇷🇺\n${textRu}`, {
      ...html,
      reply_markup: new InlineKeyboard().text(t("broadcast.send", { count }), cb.pick("ok")).text(t("buttons.cancel"), cb.pick("no")),
    });
    const { value: go, ctx: c2 } = await waitInput<"ok" | "no">(conversation, t, {
      prefix: "x:",
      expected: t("staffInput.confirmOrCancel"),
      onCallback: (d) => (d.kind === "pick" && (d.choice === "ok" || d.choice === "no") ? d.choice : undefined),
    });
    if (go === "no") return void (await cancelled(c2));
    if (!(await stillStaff(conversation, deps, userId))) return;

    await conversation.external(async (octx: BaseContext) => {
      const b = await deps.broadcasts.create({
        createdBy: userId,
        audience,
        ...(param ? { param } : {}),
        textKk,
        textRu,
        progressChatId: octx.chat!.id,
        now: deps.now(),
      });
      deps.logger.info({ broadcastId: b.id, audience, total: b.total, by: userId }, "broadcast queued");
      const progress = await octx.reply(t("broadcast.started", { total: b.total }), html);
      await deps.broadcasts.setProgressMessage(b.id, progress.message_id);
      deps.wakeSender();
    });
  };
}
