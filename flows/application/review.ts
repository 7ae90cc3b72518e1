import { InlineKeyboard, type Context } from "grammy";
import type { Deps } from "../../bot/context.js";
import { cb } from "../../bot/callbacks.js";
import { formatTimeline } from "../../bot/format.js";
import type { Lang, Translate } from "../../bot/i18n.js";
import type { DraftRecord } from "../../bot/store/drafts.js";
import type { ServiceVariant } from "../catalog/load.js";
import { computeTimeline } from "../timeline.js";
import { cancelRow, html, loadDraft, openSession, waitInput, type Conv } from "./common.js";

export interface Missing {
  details: string[];
  items: number[];
}

/** What still stops the submission: required details and required checklist items without a file. */
export function missingParts(sv: ServiceVariant, draft: DraftRecord): Missing {
  const details = (["applicantType", "idNumber", "name", "phone"] as const).filter((k) => !draft[k]);
  const items = sv.checklist.flatMap((item, i) => (item.required && !draft.files.some((f) => f.itemId === item.id) ? [i] : []));
  return { details, items };
}

function summary(t: Translate, lang: Lang, sv: ServiceVariant, draft: DraftRecord): string {
  const dash = t("review.notGiven");
  const lines = [
    t("review.title"),
    "",
    t("review.service", { service: sv.service.title[lang], variant: t(`variant.${sv.variant}`), interpolation: { escapeValue: false } }),
    t("review.applicantType", { value: draft.applicantType ? t(`applicantType.${draft.applicantType}`) : dash, interpolation: { escapeValue: false } }),
    t(draft.applicantType === "individual" ? "review.iin" : "review.bin", { value: draft.idNumber ?? dash }),
    t("review.name", { value: draft.name ?? dash }),
    t("review.phone", { value: draft.phone ?? dash }),
    t("review.email", { value: draft.email ?? dash }),
    "",
    t("review.documents"),
  ];
  sv.checklist.forEach((item, i) => {
    const n = draft.files.filter((f) => f.itemId === item.id).length;
    const mark = n ? "✅" : item.required ? "❌" : "➖";
    const state = n ? t("review.files", { count: n }) : item.required ? t("review.missing") : t("review.optionalEmpty");
    lines.push(`${mark} ${i + 1}. ${item.name[lang]} — ${state}`);
  });
  return lines.join("\n");
}

/** Summary, fixes, and the submission itself. */
export function reviewConversation(deps: Deps) {
  return async function review(conversation: Conv, ctx: Context) {
    const { lang, t, userId } = await openSession(conversation, deps);
    const draft = await loadDraft(conversation, deps, userId);
    if (!draft) return;
    const sv = deps.catalog.stored(draft.serviceId, draft.variant);
    if (!draft.reachedReview) await conversation.external(() => deps.drafts.update(userId, { reachedReview: true }));

    const kb = new InlineKeyboard().text(t("review.submit"), cb.action("submit")).row().text(t("review.fixDetails"), cb.action("details"));
    sv.checklist.forEach((item, i) => {
      kb.row().text(t("review.fixItem", { n: i + 1, name: item.name[lang].slice(0, 40), interpolation: { escapeValue: false } }), cb.fixItem(i));
    });
    await ctx.reply(summary(t, lang, sv, draft), { ...html, reply_markup: cancelRow(kb, t) });

    for (;;) {
      const input = await waitInput(conversation, t, {
        expected: t("review.useButtons"),
        onCallback: (d) =>
          d.kind === "action" && (d.action === "submit" || d.action === "details")
            ? d.action
            : d.kind === "fixItem" && d.index < sv.checklist.length
              ? d.index
              : undefined,
      });
      ctx = input.ctx;
      if (input.value === "details") {
        await conversation.external(() => deps.drafts.update(userId, { phase: "details" }));
        await conversation.halt({ next: true });
      }
      if (typeof input.value === "number") {
        const index = input.value;
        await conversation.external(() => deps.drafts.update(userId, { phase: "documents", itemIndex: index }));
        await conversation.halt({ next: true });
      }
      // submit: checked again on the stored draft, not on what this screen showed
      const current = await loadDraft(conversation, deps, userId);
      if (!current) return;
      const missing = missingParts(sv, current);
      if (missing.details.length || missing.items.length) {
        const parts = [
          ...missing.details.map((k) => `• ${t(`review.detail.${k}`)}`),
          ...missing.items.map((i) => `• ${i + 1}. ${sv.checklist[i]!.name[lang]}`),
        ];
        await ctx.reply(t("review.incomplete", { list: parts.join("\n"), interpolation: { escapeValue: false } }), html);
        continue;
      }
      const submitted = await conversation.external(async () => {
        const c = await deps.cases.submitDraft(userId, sv.service.code, deps.now());
        deps.logger.info({ userId, caseId: c.id, number: c.number }, "application submitted");
        return { number: c.number, id: c.id, submittedAt: c.submittedAt.toISOString() };
      });
      const timeline = computeTimeline(deps.calendar, sv, new Date(submitted.submittedAt));
      await ctx.reply([t("review.submitted", { number: submitted.number }), "", t("review.plannedTimeline"), formatTimeline(t, lang, timeline)].join("\n"), {
        ...html,
        reply_markup: new InlineKeyboard().text(t("menu.cases"), cb.menu("cases")).text(t("menu.home"), cb.menu("home")),
      });
      return;
    }
  };
}
