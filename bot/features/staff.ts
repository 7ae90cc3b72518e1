// Staff in Telegram: the queue, the case card with the documents and the actions the stage
// allows. Everything here is behind a role check made on the server for every update; for
// anyone else these commands and buttons do not exist (they fall through to "unknown").
import { Composer, InlineKeyboard } from "grammy";
import { currentDeadline } from "../../flows/workflow/lifecycle.js";
import { STAFF_CONVERSATION } from "../../flows/staff/index.js";
import type { BaseContext, BotContext, Deps } from "../context.js";
import { cb, parseCallback } from "../callbacks.js";
import { formatDateTime, html } from "../format.js";
import { currentFiles, type CaseDetail } from "../store/cases.js";
import { isStaffRole, type TransitionResult } from "../store/workflow.js";
import { caseCardText } from "./case-card.js";

const QUEUE_LIMIT = 30;

export function staffFeature(deps: Deps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const staff = composer.chatType("private").filter((ctx) => isStaffRole(ctx.user?.role));

  staff.command("queue", (ctx) => showQueue(ctx, deps));

  staff.command("case", async (ctx) => {
    const number = ctx.match.trim();
    if (!number) return void (await ctx.reply(ctx.t("staff.caseUsage"), html));
    const c = await deps.cases.findByNumber(number);
    if (!c) return void (await ctx.reply(ctx.t("staff.caseNotFound", { number }), html));
    await showCard(ctx, deps, c);
  });

  staff.command("broadcast", async (ctx) => {
    await ctx.conversation.exitAll();
    await ctx.conversation.enter(STAFF_CONVERSATION.broadcast);
  });

  staff.on("callback_query:data", async (ctx, next) => {
    const data = parseCallback(ctx.callbackQuery.data);
    if (data?.kind === "staffQueue") {
      await ctx.answerCallbackQuery();
      return showQueue(ctx, deps);
    }
    if (data?.kind !== "staffCase" && data?.kind !== "staffDocs" && data?.kind !== "staffAction") return next();
    const c = await deps.cases.get(data.caseId);
    if (!c) return void (await ctx.answerCallbackQuery({ text: ctx.t("cases.notFound") }));
    if (data.kind === "staffCase") {
      await ctx.answerCallbackQuery();
      return showCard(ctx, deps, c);
    }
    if (data.kind === "staffDocs") {
      await ctx.answerCallbackQuery();
      return sendDocuments(ctx, deps, c);
    }
    const sv = deps.catalog.stored(c.serviceId, c.variant);
    const def = deps.lifecycle.action(sv, c.stage, data.actionId, "staff");
    if (!def || c.version !== data.version) {
      // Someone acted first, or the button is from an old card: show the case as it is now.
      await ctx.answerCallbackQuery({ text: ctx.t("staff.changed") });
      return showCard(ctx, deps, c);
    }
    await ctx.answerCallbackQuery();
    if (def.input) {
      await ctx.conversation.exitAll();
      await ctx.conversation.enter(STAFF_CONVERSATION.action, { caseId: c.id, actionId: def.id, version: c.version });
      return;
    }
    const result = await deps.workflow.transition({
      caseId: c.id,
      actionId: def.id,
      actorId: ctx.from.id,
      by: "staff",
      expectedVersion: data.version,
      now: deps.now(),
    });
    await reportTransition(ctx, deps, result);
  });
  return composer;
}

/** Tells the staff member how the action went and shows the card as it is now. */
export async function reportTransition(ctx: BaseContext, deps: Deps, result: TransitionResult): Promise<void> {
  if (result.ok) {
    deps.logger.info({ caseId: result.caseId, stage: result.stage, actorId: ctx.from?.id }, "case moved");
    deps.wakeSender();
    await ctx.reply(ctx.t("staff.moved", { number: result.number, stage: ctx.t(`stage.${result.stage}`) }), html);
    const c = await deps.cases.get(result.caseId);
    if (c) await showCard(ctx, deps, c);
    return;
  }
  await ctx.reply(ctx.t(`staff.refused.${result.reason}`), html);
}

export async function showCard(ctx: BaseContext, deps: Deps, c: CaseDetail): Promise<void> {
  const sv = deps.catalog.stored(c.serviceId, c.variant);
  const kb = new InlineKeyboard();
  for (const a of deps.lifecycle.actionsFor(sv, c.stage, "staff")) kb.text(ctx.t(`action.${a.id}`), cb.staffAction(c.id, a.id, c.version)).row();
  kb.text(ctx.t("staff.documents", { count: c.files.length }), cb.staffDocs(c.id)).text(ctx.t("staff.queueButton"), cb.staffQueue());
  await ctx.reply(caseCardText(deps, ctx.t, ctx.lang, c, "staff"), { ...html, reply_markup: kb });
}

async function showQueue(ctx: BotContext, deps: Deps): Promise<void> {
  const now = deps.now();
  const open = await deps.cases.listOpen(deps.lifecycle.openStages());
  const rows = open.map((c) => ({ c, d: currentDeadline(deps.lifecycle, deps.calendar, deps.catalog.stored(c.serviceId, c.variant), c) }));
  const ours = rows.filter((r) => r.d?.owner === "provider").sort((a, b) => a.d!.due.getTime() - b.d!.due.getTime());
  const waiting = rows.length - ours.length;
  if (!ours.length) return void (await ctx.reply(ctx.t("queue.empty", { waiting }), html));
  const kb = new InlineKeyboard();
  const lines = ours.slice(0, QUEUE_LIMIT).map(({ c, d }, i) => {
    kb.text(`${d!.due < now ? "⚠️ " : ""}${c.number}`, cb.staffCase(c.id));
    if (i % 2 === 1) kb.row();
    return ctx.t(d!.due < now ? "queue.lineOverdue" : "queue.line", {
      number: c.number,
      stage: ctx.t(`stage.${c.stage}`),
      due: formatDateTime(ctx.t, d!.due),
      interpolation: { escapeValue: false },
    });
  });
  const header = ctx.t("queue.title", { count: ours.length, overdue: ours.filter((r) => r.d!.due < now).length, waiting });
  const more = ours.length > QUEUE_LIMIT ? ["", ctx.t("queue.more", { count: ours.length - QUEUE_LIMIT })] : [];
  await ctx.reply([header, "", ...lines, ...more].join("\n"), { ...html, reply_markup: kb });
}

/** The latest version of each document, as files in the chat (by Telegram file id). */
async function sendDocuments(ctx: BotContext, deps: Deps, c: CaseDetail): Promise<void> {
  const sv = deps.catalog.stored(c.serviceId, c.variant);
  const files = currentFiles(c.files);
  if (!files.length) return void (await ctx.reply(ctx.t("staff.noDocuments"), html));
  for (const f of files) {
    const caption = `${c.number} · ${deps.catalog.itemOf(sv, f.itemId).name[ctx.lang]}${f.version > 1 ? ` (${ctx.t("card.version", { version: f.version })})` : ""}`;
    // Photos were received as photos: Telegram refuses a photo's file id in sendDocument.
    if (f.fileName.startsWith("photo-")) await ctx.replyWithPhoto(f.telegramFileId, { caption });
    else await ctx.replyWithDocument(f.telegramFileId, { caption });
  }
}
