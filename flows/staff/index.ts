import { Composer } from "grammy";
import { createConversation } from "@grammyjs/conversations";
import type { BotContext, Deps } from "../../bot/context.js";
import { staffActionConversation } from "./action.js";
import { broadcastConversation } from "./broadcast.js";
import { staffMemberConversation } from "./member.js";

/** Stored with the state: renaming one orphans conversations in progress. */
export const STAFF_CONVERSATION = {
  action: "staff-action",
  broadcast: "staff-broadcast",
  member: "staff-member",
} as const;

export function staffConversations(deps: Deps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.use(createConversation(staffActionConversation(deps), STAFF_CONVERSATION.action));
  composer.use(createConversation(broadcastConversation(deps), STAFF_CONVERSATION.broadcast));
  composer.use(createConversation(staffMemberConversation(deps), STAFF_CONVERSATION.member));
  return composer;
}
