// A staff action that needs input: asks for it step by step, shows what will be recorded, and
// commits on confirmation (the transition checks role, stage and version again).
import { InlineKeyboard, type Context } from "grammy";
import type { BaseContext, Deps } from "../../bot/context.js";
import { cb } from "../../bot/callbacks.js";
import { reportTransition } from "../../bot/features/staff.js";
import { formatDayKey } from "../../bot/format.js";
import { escapeHtml } from "../../bot/i18n.js";
import type { ActionInputValues } from "../../bot/store/workflow.js";
import { checkInspectionDates, dataOf, lastEvent } from "../workflow/lifecycle.js";
import { html, openSession, waitInput, type Conv } from "../application/common.js";
import { CANCELLED, askDay, askText, stillStaff, today } from "./common.js";

export interface StaffActionArgs {
  caseId: number;
  actionId: string;
  version: number;
}

const CERTIFICATE = /^[\p{L}\d][\p{L}\d\s\-/№.]{0,39}$/u;

export function staffActionConversation(deps: Deps) {
  return async function staffAction(conversation: Conv, ctx: Context, args: StaffActionArgs) {
    const { lang, t, userId } = await openSession(conversation, deps);
    if (!(await stillStaff(conversation, deps, userId))) return;
    const c = await conversation.external(async () => {
      const found = await deps.cases.get(args.caseId);
      if (!found) return null;
      const schedule = lastEvent(found, "schedule");
      return {
        number: found.number,
        serviceId: found.serviceId,
        variant: found.variant,
        stage: found.stage,
        start: schedule ? (dataOf(schedule).start ?? null) : null,
      };
    });
    if (!c) return;
    const sv = deps.catalog.stored(c.serviceId, c.variant);
    const def = deps.lifecycle.action(sv, c.stage, args.actionId, "staff");
    if (!def) {
      await ctx.reply(t("staff.changed"), html);
      return;
    }
    const day = await today(conversation, deps);
    const notFuture = (d: string) => (d > day ? t("staffInput.future") : undefined);
    const input: ActionInputValues = {};
    const summary: string[] = [t("staffInput.confirmTitle", { action: t(`action.${def.id}`), number: c.number })];
    await ctx.reply(t("staffInput.begin", { action: t(`action.${def.id}`), number: c.number }), html);

    switch (def.input) {
      case "nonconformities": {
        const selected = new Set<number>();
        const keyboard = () => {
          const kb = new InlineKeyboard();
          sv.checklist.forEach((item, i) => kb.text(`${selected.has(i) ? "☑️" : "▫️"} ${item.name[lang].slice(0, 40)}`, cb.toggle(i)).row());
          return kb.text(t("staffInput.next"), cb.pick("ok")).text(t("buttons.cancel"), cb.pick("no"));
        };
        await ctx.reply(t("staffInput.pickItems"), { ...html, reply_markup: keyboard() });
        for (;;) {
          const { value, ctx: c2 } = await waitInput<"ok" | "no" | number>(conversation, t, {
            prefix: "x:",
            expected: t("staffInput.pickItems"),
            onCallback: (d) =>
              d.kind === "toggle" && d.index < sv.checklist.length
                ? d.index
                : d.kind === "pick" && (d.choice === "ok" || d.choice === "no")
                  ? d.choice
                  : undefined,
          });
          if (value === "no") return void (await c2.reply(t("staffInput.cancelled"), html));
          if (value === "ok") {
            if (selected.size) break;
            await c2.reply(t("staffInput.pickAtLeastOne"), html);
            continue;
          }
          if (selected.has(value)) selected.delete(value);
          else selected.add(value);
          await c2.editMessageReplyMarkup({ reply_markup: keyboard() }).catch(() => undefined);
        }
        input.items = [...selected].sort((a, b) => a - b).map((i) => sv.checklist[i]!.id);
        const why = await askText(conversation, ctx, t, t("staffInput.nonconformitiesWhy"), { min: 5, max: 1000 });
        if (why === CANCELLED) return void (await ctx.reply(t("staffInput.cancelled"), html));
        input.comment = why;
        summary.push(...input.items.map((id) => `• ${sv.checklist.find((i) => i.id === id)!.name[lang]}`), escapeHtml(why));
        break;
      }
      case "inspection": {
        const commission = await askText(conversation, ctx, t, t("staffInput.commission"), { min: 3, max: 500 });
        if (commission === CANCELLED) return void (await ctx.reply(t("staffInput.cancelled"), html));
        input.commission = commission;
        for (;;) {
          const start = await askDay(conversation, ctx, t, t("staffInput.inspectionStart"), day, () => undefined, false);
          if (start === CANCELLED) return void (await ctx.reply(t("staffInput.cancelled"), html));
          const end = await askDay(conversation, ctx, t, t("staffInput.inspectionEnd"), day, () => undefined, false);
          if (end === CANCELLED) return void (await ctx.reply(t("staffInput.cancelled"), html));
          const problem = checkInspectionDates(deps.calendar, sv, day, start, end);
          if (!problem) {
            input.start = start;
            input.end = end;
            break;
          }
          await ctx.reply(t(`staffInput.dates.${problem.problem}`, "maxDays" in problem ? { max: problem.maxDays } : {}), html);
        }
        summary.push(
          t("staffInput.summaryInspection", {
            commission: escapeHtml(commission),
            start: formatDayKey(t, input.start!),
            end: formatDayKey(t, input.end!),
            interpolation: { escapeValue: false },
          }),
        );
        break;
      }
      case "act": {
        const actDate = await askDay(
          conversation,
          ctx,
          t,
          t("staffInput.actDate"),
          day,
          (d) => notFuture(d) ?? (c.start && d < c.start ? t("staffInput.beforeInspection") : undefined),
        );
        if (actDate === CANCELLED) return void (await ctx.reply(t("staffInput.cancelled"), html));
        input.actDate = actDate;
        summary.push(t("staffInput.summaryAct", { date: formatDayKey(t, actDate), interpolation: { escapeValue: false } }));
        break;
      }
      case "certificate": {
        const number = await askText(conversation, ctx, t, t("staffInput.certificateNo"), { max: 40, pattern: CERTIFICATE });
        if (number === CANCELLED) return void (await ctx.reply(t("staffInput.cancelled"), html));
        const issuedOn = await askDay(conversation, ctx, t, t("staffInput.issuedOn"), day, notFuture);
        if (issuedOn === CANCELLED) return void (await ctx.reply(t("staffInput.cancelled"), html));
        input.certificateNo = number;
        input.issuedOn = issuedOn;
        summary.push(
          t("staffInput.summaryCertificate", { number: escapeHtml(number), date: formatDayKey(t, issuedOn), interpolation: { escapeValue: false } }),
        );
        break;
      }
      case "reasons": {
        const reasons = await askText(conversation, ctx, t, t("staffInput.reasons"), { min: 5, max: 2000 });
        if (reasons === CANCELLED) return void (await ctx.reply(t("staffInput.cancelled"), html));
        input.comment = reasons;
        summary.push(escapeHtml(reasons));
        break;
      }
      default:
        break;
    }

    await ctx.reply(summary.join("\n"), {
      ...html,
      reply_markup: new InlineKeyboard().text(t("staffInput.confirm"), cb.pick("ok")).text(t("buttons.cancel"), cb.pick("no")),
    });
    const { value, ctx: last } = await waitInput<"ok" | "no">(conversation, t, {
      prefix: "x:",
      expected: t("staffInput.confirmOrCancel"),
      onCallback: (d) => (d.kind === "pick" && (d.choice === "ok" || d.choice === "no") ? d.choice : undefined),
    });
    if (value === "no") return void (await last.reply(t("staffInput.cancelled"), html));
    await conversation.external(async (octx: BaseContext) => {
      const result = await deps.workflow.transition({
        caseId: args.caseId,
        actionId: def.id,
        actorId: userId,
        by: "staff",
        expectedVersion: args.version,
        input,
        now: deps.now(),
      });
      await reportTransition(octx, deps, result);
    });
  };
}
