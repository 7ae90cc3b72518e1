import { InlineKeyboard, type Context } from "grammy";
import type { Deps } from "../../bot/context.js";
import { cb } from "../../bot/callbacks.js";
import { formatDateTime, formatList } from "../../bot/format.js";
import { computeTimeline } from "../timeline.js";
import type { ServiceId, Variant } from "../catalog/schema.js";
import { cancelRow, html, openSession, waitInput, type Conv } from "./common.js";

/** Service, then variant, then what it takes: the draft is created only when the applicant starts. */
export function chooseServiceConversation(deps: Deps) {
  return async function chooseService(conversation: Conv, ctx: Context) {
    const { lang, t, userId } = await openSession(conversation, deps);
    let serviceId: ServiceId | undefined;
    let variant: Variant | undefined;
    for (;;) {
      if (!serviceId) {
        const kb = new InlineKeyboard();
        for (const s of deps.catalog.all()) kb.text(s.shortTitle[lang], cb.service(s.id)).row();
        await ctx.reply(t("apply.chooseService"), { ...html, reply_markup: cancelRow(kb, t) });
        const picked = await waitInput(conversation, t, {
          expected: t("apply.chooseServiceHint"),
          onCallback: (d) => (d.kind === "service" ? d.serviceId : undefined),
        });
        serviceId = picked.value;
        ctx = picked.ctx;
        continue;
      }
      if (!variant) {
        const service = deps.catalog.service(serviceId);
        const kb = new InlineKeyboard()
          .text(t("variant.issuance"), cb.variant("issuance"))
          .text(t("variant.duplicate"), cb.variant("duplicate"))
          .row()
          .text(t("buttons.back"), cb.action("back"));
        await ctx.reply(t("apply.chooseVariant", { service: service.title[lang] }), { ...html, reply_markup: cancelRow(kb, t) });
        const picked = await waitInput(conversation, t, {
          expected: t("apply.chooseVariantHint"),
          onCallback: (d) => (d.kind === "variant" ? d.variant : d.kind === "action" && d.action === "back" ? "back" : undefined),
        });
        ctx = picked.ctx;
        if (picked.value === "back") serviceId = undefined;
        else variant = picked.value;
        continue;
      }
      const sv = deps.catalog.get(serviceId, variant);
      const now = new Date(await conversation.external(() => deps.now().toISOString()));
      const timeline = computeTimeline(deps.calendar, sv, now);
      const docs = sv.checklist
        .map((item, i) => `${i + 1}. ${item.name[lang]}${item.required ? "" : ` (${t("apply.optional")})`} — ${formatList(item.formats)}`)
        .join("\n");
      const applicants = sv.service.applicantTypes.map((a) => t(`applicantType.${a}`)).join(", ");
      const kb = new InlineKeyboard().text(t("buttons.start"), cb.action("go")).row().text(t("buttons.back"), cb.action("back"));
      await ctx.reply(
        t("apply.requirements", {
          service: sv.service.title[lang],
          variant: t(`variant.${variant}`),
          applicants,
          documents: docs,
          steps: timeline.steps.length,
          due: formatDateTime(t, timeline.due),
          interpolation: { escapeValue: false },
        }),
        { ...html, reply_markup: cancelRow(kb, t) },
      );
      const picked = await waitInput(conversation, t, {
        expected: t("apply.pressStart"),
        onCallback: (d) => (d.kind === "action" && (d.action === "go" || d.action === "back") ? d.action : undefined),
      });
      ctx = picked.ctx;
      if (picked.value === "back") {
        variant = undefined;
        continue;
      }
      const only = sv.service.applicantTypes.length === 1 ? sv.service.applicantTypes[0]! : null;
      const chosen = { serviceId, variant };
      await conversation.external(() => deps.drafts.create(userId, chosen.serviceId, chosen.variant, only));
      // Hand over to the next part: the router below the conversations enters it.
      await conversation.halt({ next: true });
    }
  };
}
