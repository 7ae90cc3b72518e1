import { InlineKeyboard } from "grammy";
import type { BotContext, Deps } from "../../bot/context.js";
import type { Callback } from "../../bot/callbacks.js";
import { cb } from "../../bot/callbacks.js";
import type { Translate } from "../../bot/i18n.js";
import { isStaffRole } from "../../bot/store/workflow.js";
import { dayKeyOf, parseDay, type DayKey } from "../calendar/kz-time.js";
import { html, waitInput, type Conv } from "../application/common.js";

export const CANCELLED = Symbol("cancelled");

/** Staff conversations re-check the role from the database: a role can be taken away mid-way. */
export function stillStaff(conversation: Conv, deps: Deps, userId: number): Promise<boolean> {
  return conversation.external(async () => isStaffRole((await deps.users.get(userId))?.role));
}

export function today(conversation: Conv, deps: Deps): Promise<DayKey> {
  return conversation.external(() => dayKeyOf(deps.now()));
}

export const cancelKeyboard = (t: Translate) => new InlineKeyboard().text(t("buttons.cancel"), cb.pick("no"));

/** A text from staff, as typed (whoever shows it escapes it), or CANCELLED. */
export async function askText(
  conversation: Conv,
  ctx: { reply: BotContext["reply"] },
  t: Translate,
  prompt: string,
  limits: { min?: number; max: number; pattern?: RegExp; extra?: InlineKeyboard; onExtra?: (d: Callback) => string | undefined },
): Promise<string | typeof CANCELLED> {
  await ctx.reply(prompt, { ...html, reply_markup: limits.extra ?? cancelKeyboard(t) });
  const { value } = await waitInput<string | typeof CANCELLED>(conversation, t, {
    prefix: "x:",
    expected: t("staffInput.expectText"),
    onCallback: (d) => (d.kind === "pick" && d.choice === "no" ? CANCELLED : limits.onExtra?.(d)),
    onMessage: async (c) => {
      const text = c.message?.text?.trim();
      if (!text) {
        await c.reply(t("staffInput.expectText"), html);
        return undefined;
      }
      if (text.length < (limits.min ?? 1) || text.length > limits.max || (limits.pattern && !limits.pattern.test(text))) {
        await c.reply(t("staffInput.badText", { min: limits.min ?? 1, max: limits.max }), html);
        return undefined;
      }
      return text;
    },
  });
  return value;
}

/** A day typed as dd.mm.yyyy (or "today" by button), checked by `check`, or CANCELLED. */
export async function askDay(
  conversation: Conv,
  ctx: { reply: BotContext["reply"] },
  t: Translate,
  prompt: string,
  todayKey: DayKey,
  check: (day: DayKey) => string | undefined,
  offerToday = true,
): Promise<DayKey | typeof CANCELLED> {
  const kb = new InlineKeyboard();
  if (offerToday) kb.text(t("staffInput.today"), cb.pick("today"));
  kb.text(t("buttons.cancel"), cb.pick("no"));
  await ctx.reply(prompt, { ...html, reply_markup: kb });
  for (;;) {
    const { value, ctx: c } = await waitInput<string | typeof CANCELLED>(conversation, t, {
      prefix: "x:",
      expected: t("staffInput.expectDate"),
      onCallback: (d) => (d.kind === "pick" && d.choice === "no" ? CANCELLED : d.kind === "pick" && d.choice === "today" && offerToday ? todayKey : undefined),
      onMessage: async (m) => {
        const day = m.message?.text ? parseDay(m.message.text) : undefined;
        if (!day) await m.reply(t("staffInput.expectDate"), html);
        return day;
      },
    });
    if (value === CANCELLED) return value;
    const problem = check(value);
    if (!problem) return value;
    await c.reply(problem, { ...html, reply_markup: kb });
  }
}
