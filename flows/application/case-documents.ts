// The applicant answers a notice: replaces exactly the documents staff found non-conforming,
// or submits the corrective action plan after the inspection act. Files are kept as new
// versions of the case's documents; "Send" moves the case on and tells staff.
import { InlineKeyboard, type Context } from "grammy";
import type { BaseContext, Deps } from "../../bot/context.js";
import { cb } from "../../bot/callbacks.js";
import { formatList, formatSize } from "../../bot/format.js";
import type { ChecklistItem } from "../catalog/load.js";
import { dataOf, lastEvent, type ApplicantTask } from "../workflow/lifecycle.js";
import { cancelRow, html, openSession, waitInput, type Conv } from "./common.js";
import { refusalText } from "./documents.js";
import { downloadChecked } from "./receive-file.js";

export interface CaseDocumentsArgs {
  caseId: number;
  task: ApplicantTask;
}

export function caseDocumentsConversation(deps: Deps) {
  return async function caseDocuments(conversation: Conv, ctx: Context, args: CaseDocumentsArgs) {
    const { lang, t, userId } = await openSession(conversation, deps);
    const c = await conversation.external(async () => {
      const found = await deps.cases.getForUser(userId, args.caseId);
      if (!found) return null;
      const findings = lastEvent(found, "nonconformities");
      return {
        number: found.number,
        serviceId: found.serviceId,
        variant: found.variant,
        stage: found.stage,
        items: findings ? (dataOf(findings).items ?? []) : [],
        why: findings?.comment ?? "",
      };
    });
    if (!c) return void (await ctx.reply(t("cases.notFound"), html));
    const sv = deps.catalog.stored(c.serviceId, c.variant);
    // The stage must offer this task now (the notice may be old).
    const action = deps.lifecycle.applicantAction(sv, c.stage, args.task);
    if (!action) {
      return void (await ctx.reply(t("caseDocs.notNow", { number: c.number }), {
        ...html,
        reply_markup: new InlineKeyboard().text(t("notice.button.open"), cb.case(args.caseId)),
      }));
    }
    const items: ChecklistItem[] =
      args.task === "plan"
        ? [deps.catalog.document("corrective-plan")]
        : c.items.map((id) => sv.checklist.find((i) => i.id === id)).filter((i) => i !== undefined);
    if (args.task === "fix") await ctx.reply(t("caseDocs.fixIntro", { number: c.number, why: c.why }), html);

    for (const [index, item] of items.entries()) {
      const received: string[] = [];
      const kb = () => cancelRow(received.length ? new InlineKeyboard().text(t("docs.done"), cb.action("done")) : new InlineKeyboard(), t);
      await ctx.reply(
        t("caseDocs.prompt", {
          n: index + 1,
          total: items.length,
          name: item.name[lang],
          hint: item.hint[lang],
          formats: formatList(item.formats),
          interpolation: { escapeValue: false },
        }),
        { ...html, reply_markup: kb() },
      );
      for (;;) {
        const { value } = await waitInput<{ kind: "done" } | { kind: "file"; name?: string; size?: number; refusal?: string }>(conversation, t, {
          expected: t("docs.expectFile"),
          onCallback: (d) => (d.kind === "action" && d.action === "done" && received.length ? { kind: "done" } : undefined),
          onMessage: async (m) => {
            if (!m.message?.document && !m.message?.photo) {
              await m.reply(t("docs.expectFile"), { ...html, reply_markup: kb() });
              return undefined;
            }
            return conversation.external(async (octx: BaseContext) => {
              const got = await downloadChecked(deps, octx, item);
              if (!got.ok) return { kind: "file" as const, refusal: refusalText(t, got.refusal, item) };
              await deps.cases.addFile(args.caseId, { ...got.file, storedPath: await deps.files.save(got.file.sha256, got.bytes) });
              deps.logger.info({ userId, caseId: args.caseId, item: item.id, size: got.file.size }, "case document replaced");
              return { kind: "file" as const, name: got.file.fileName, size: got.file.size };
            });
          },
        });
        if (value.kind === "done") break;
        if (value.refusal) {
          await ctx.reply(value.refusal, { ...html, reply_markup: kb() });
          continue;
        }
        received.push(value.name!);
        if (!item.multiple) {
          await ctx.reply(t("docs.accepted", { name: value.name, size: formatSize(value.size!) }), html);
          break;
        }
        await ctx.reply([t("docs.accepted", { name: value.name, size: formatSize(value.size!) }), t("docs.moreOrDone")].join("\n"), {
          ...html,
          reply_markup: kb(),
        });
      }
    }

    await ctx.reply(t(`caseDocs.ready.${args.task}`, { number: c.number }), {
      ...html,
      reply_markup: cancelRow(new InlineKeyboard().text(t("caseDocs.send"), cb.action("submit")), t),
    });
    await waitInput<true>(conversation, t, {
      expected: t("caseDocs.pressSend"),
      onCallback: (d) => (d.kind === "action" && d.action === "submit" ? true : undefined),
    });
    const result = await conversation.external(async () => {
      const r = await deps.workflow.transition({ caseId: args.caseId, actionId: action.id, actorId: userId, by: "applicant", now: deps.now() });
      if (r.ok) deps.wakeSender();
      return r.ok ? "ok" : r.reason;
    });
    if (result === "ok")
      await ctx.reply(t(`caseDocs.sent.${args.task}`, { number: c.number }), {
        ...html,
        reply_markup: new InlineKeyboard().text(t("notice.button.open"), cb.case(args.caseId)),
      });
    else await ctx.reply(t("caseDocs.notNow", { number: c.number }), html);
  };
}
