import { Composer } from "grammy";
import { createConversation } from "@grammyjs/conversations";
import type { BotContext, Deps } from "../../bot/context.js";
import { chooseServiceConversation } from "./choose-service.js";
import { CONVERSATION, PHASE_CONVERSATION } from "./common.js";
import { detailsConversation } from "./details.js";
import { documentsConversation } from "./documents.js";
import { reviewConversation } from "./review.js";
import { caseDocumentsConversation } from "./case-documents.js";

export { CONVERSATION } from "./common.js";

/** Enters the conversation of the part of the application the draft is on. */
export async function enterPhase(ctx: BotContext, phase: string): Promise<void> {
  await ctx.conversation.exitAll();
  await ctx.conversation.enter(PHASE_CONVERSATION[phase] ?? CONVERSATION.details);
}

/**
 * The application's conversations. They come first in the middleware, so that handlers below
 * can enter them; whatever a conversation does not take (commands, menu buttons) goes on down.
 */
export function applicationConversations(deps: Deps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.use(createConversation(chooseServiceConversation(deps), CONVERSATION.start));
  composer.use(createConversation(detailsConversation(deps), CONVERSATION.details));
  composer.use(createConversation(documentsConversation(deps), CONVERSATION.item));
  composer.use(createConversation(reviewConversation(deps), CONVERSATION.review));
  composer.use(createConversation(caseDocumentsConversation(deps), CONVERSATION.caseDocuments));
  return composer;
}

/**
 * Chains the parts: each part ends with `halt({ next: true })` after saving where the applicant
 * goes next, and this enters that part. It also resumes a draft whose conversation is gone
 * (e.g. after a version bump).
 */
export function draftRouter(deps: Deps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.chatType("private").use(async (ctx, next) => {
    const isApplicationInput = Boolean(ctx.message) || Boolean(ctx.callbackQuery?.data?.startsWith("a:"));
    if (!isApplicationInput || !ctx.from || Object.keys(ctx.conversation.active()).length) return next();
    const draft = await deps.drafts.get(ctx.from.id);
    if (!draft?.active) return next();
    await ctx.conversation.enter(PHASE_CONVERSATION[draft.phase] ?? CONVERSATION.details);
  });
  return composer;
}
