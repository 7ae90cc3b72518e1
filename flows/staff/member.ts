// "/staff add" or "/staff remove" without an id: the admin forwards a message of the person,
// shares their contact, or types the id.
import type { Context } from "grammy";
import type { BaseContext, Deps } from "../../bot/context.js";
import { changeRole } from "../../bot/features/admin.js";
import { html, openSession, waitInput, type Conv } from "../application/common.js";
import { cancelKeyboard } from "./common.js";

export interface MemberArgs {
  role: "staff" | "admin" | "applicant";
}

export function staffMemberConversation(deps: Deps) {
  return async function staffMember(conversation: Conv, ctx: Context, args: MemberArgs) {
    const { t, userId } = await openSession(conversation, deps);
    await ctx.reply(t("admin.whoPrompt"), { ...html, reply_markup: cancelKeyboard(t) });
    const { value } = await waitInput<number | "no">(conversation, t, {
      prefix: "x:",
      expected: t("admin.whoPrompt"),
      onCallback: (d) => (d.kind === "pick" && d.choice === "no" ? "no" : undefined),
      onMessage: async (c) => {
        const m = c.message!;
        const origin = m.forward_origin;
        if (origin?.type === "user") return origin.sender_user.id;
        if (origin) {
          await c.reply(t("admin.hiddenForward"), html);
          return undefined;
        }
        if (m.contact) {
          if (m.contact.user_id) return m.contact.user_id;
          await c.reply(t("admin.contactWithoutId"), html);
          return undefined;
        }
        if (m.text && /^\d{1,15}$/.test(m.text.trim())) return Number(m.text.trim());
        await c.reply(t("admin.whoPrompt"), html);
        return undefined;
      },
    });
    if (value === "no") return void (await ctx.reply(t("staffInput.cancelled"), html));
    await conversation.external((octx: BaseContext) => changeRole(octx, deps, userId, BigInt(value), args.role));
  };
}
