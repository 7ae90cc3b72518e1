import { InlineKeyboard, Keyboard, type Context } from "grammy";
import type { Deps } from "../../bot/context.js";
import { cb } from "../../bot/callbacks.js";
import type { Translate } from "../../bot/i18n.js";
import { normalizeEmail, normalizeName, normalizePhone, validateIdNumber, type ApplicantType } from "../identity.js";
import { cancelRow, html, loadDraft, openSession, waitInput, type Conv } from "./common.js";

function keepRow(kb: InlineKeyboard, t: Translate, current: string | null | undefined): InlineKeyboard {
  return current ? kb.row().text(t("details.keep", { value: current }), cb.action("keep")) : kb;
}

/** Applicant type, BIN/IIN, name, phone, e-mail: each answer is saved as soon as it is valid. */
export function detailsConversation(deps: Deps) {
  return async function details(conversation: Conv, ctx: Context) {
    const { lang, t, userId } = await openSession(conversation, deps);
    const draft = await loadDraft(conversation, deps, userId);
    if (!draft) return;
    const service = deps.catalog.stored(draft.serviceId, draft.variant).service;
    const save = (patch: Parameters<Deps["drafts"]["update"]>[1]) => conversation.external(() => deps.drafts.update(userId, patch));
    const text = (c: Context) => c.message?.text?.trim();
    // Coming back to a draft: go on from the first question without an answer. From the
    // review: ask everything again, each with a button that keeps the current answer.
    const fixing = draft.reachedReview;
    const ask = (current: unknown) => fixing || current === null || current === undefined;

    // Applicant type: only where the service allows both.
    let type = (draft.applicantType ?? undefined) as ApplicantType | undefined;
    if (service.applicantTypes.length > 1 && ask(draft.applicantType)) {
      const kb = new InlineKeyboard();
      for (const a of service.applicantTypes) kb.text(t(`applicantType.${a}`), cb.applicantType(a));
      await ctx.reply(t("details.askType", { service: service.shortTitle[lang] }), {
        ...html,
        reply_markup: cancelRow(keepRow(kb, t, type && t(`applicantType.${type}`)), t),
      });
      const picked = await waitInput(conversation, t, {
        expected: t("details.askTypeHint"),
        onCallback: (d) => (d.kind === "applicantType" ? d.applicantType : d.kind === "action" && d.action === "keep" && type ? type : undefined),
      });
      ctx = picked.ctx;
      if (picked.value !== type) {
        type = picked.value;
        // A BIN does not fit an individual, nor an IIN an entity: ask again.
        await save({ applicantType: type, ...(draft.applicantType && draft.applicantType !== type ? { idNumber: null } : {}) });
        if (draft.applicantType !== type) draft.idNumber = null;
      }
    } else if (service.applicantTypes.length === 1) {
      type = service.applicantTypes[0]!;
    }
    const idLabel = type === "legal" ? "bin" : "iin";

    // BIN or IIN, checked with the official check digit.
    if (ask(draft.idNumber)) {
      await ctx.reply(t(`details.ask_${idLabel}`), { ...html, reply_markup: cancelRow(keepRow(new InlineKeyboard(), t, draft.idNumber), t) });
      const idAnswer = await waitInput(conversation, t, {
        expected: t(`details.ask_${idLabel}`),
        onCallback: (d) => (d.kind === "action" && d.action === "keep" && draft.idNumber ? draft.idNumber : undefined),
        onMessage: async (c) => {
          const input = text(c);
          if (!input) {
            await c.reply(t(`details.ask_${idLabel}`), html);
            return undefined;
          }
          const r = validateIdNumber(input, type!);
          if (r.ok) return r.value;
          await c.reply(t(`details.bad_${r.problem}`, { kind: t(`details.${idLabel}`) }), html);
          return undefined;
        },
      });
      ctx = idAnswer.ctx;
      await save({ idNumber: idAnswer.value });
    }

    // Organization or full name.
    if (ask(draft.name)) {
      await ctx.reply(t(type === "legal" ? "details.askOrgName" : "details.askFullName"), {
        ...html,
        reply_markup: cancelRow(keepRow(new InlineKeyboard(), t, draft.name), t),
      });
      const nameAnswer = await waitInput(conversation, t, {
        expected: t("details.badName"),
        onCallback: (d) => (d.kind === "action" && d.action === "keep" && draft.name ? draft.name : undefined),
        onMessage: async (c) => {
          const value = normalizeName(text(c) ?? "");
          if (!value) await c.reply(t("details.badName"), html);
          return value;
        },
      });
      ctx = nameAnswer.ctx;
      await save({ name: nameAnswer.value });
    }

    // Phone: the contact button or typed.
    if (ask(draft.phone)) {
      const contactKb = new Keyboard().requestContact(t("details.shareContact")).resized().oneTime();
      await ctx.reply(t("details.askPhone", { current: draft.phone ?? "" }), { ...html, reply_markup: contactKb });
      if (draft.phone) await ctx.reply(t("details.orKeep"), { ...html, reply_markup: keepRow(new InlineKeyboard(), t, draft.phone) });
      const phoneAnswer = await waitInput(conversation, t, {
        expected: t("details.badPhone"),
        onCallback: (d) => (d.kind === "action" && d.action === "keep" && draft.phone ? draft.phone : undefined),
        onMessage: async (c) => {
          const contact = c.message?.contact;
          if (contact && contact.user_id !== undefined && contact.user_id !== c.from?.id) {
            await c.reply(t("details.foreignContact"), html);
            return undefined;
          }
          const value = normalizePhone(contact?.phone_number ?? text(c) ?? "");
          if (!value) await c.reply(t("details.badPhone"), html);
          return value;
        },
      });
      ctx = phoneAnswer.ctx;
      await save({ phone: phoneAnswer.value });
    }

    // E-mail: optional.
    if (fixing || !draft.emailAsked) {
      const emailKb = keepRow(new InlineKeyboard().text(t("buttons.skip"), cb.action("skip")), t, draft.email);
      await ctx.reply(t("details.askEmail"), { ...html, reply_markup: { remove_keyboard: true } });
      await ctx.reply(t("details.askEmailButtons"), { ...html, reply_markup: cancelRow(emailKb, t) });
      const emailAnswer = await waitInput<string | null>(conversation, t, {
        expected: t("details.badEmail"),
        onCallback: (d) =>
          d.kind === "action" && d.action === "skip" ? null : d.kind === "action" && d.action === "keep" && draft.email ? draft.email : undefined,
        onMessage: async (c) => {
          const value = normalizeEmail(text(c) ?? "");
          if (!value) await c.reply(t("details.badEmail"), html);
          return value;
        },
      });
      ctx = emailAnswer.ctx;
      await save({ email: emailAnswer.value, emailAsked: true });
    }
    await save(fixing ? { phase: "review" } : { phase: "documents", itemIndex: 0 });
    await ctx.reply(t("details.saved"), html);
    await conversation.halt({ next: true });
  };
}
