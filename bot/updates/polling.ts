// Long polling into the inbox: the offset moves on only once the updates are stored, so an
// update the database could not take is fetched again.
import type { Api } from "grammy";
import { brief, type Logger } from "../logger.js";
import type { UpdateInbox } from "./inbox.js";

export const ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"] as const;

export function startPolling(api: Api, inbox: UpdateInbox, logger: Logger): { stop(): Promise<void> } {
  const controller = new AbortController();
  let offset = 0;
  const loop = (async () => {
    let failures = 0;
    while (!controller.signal.aborted) {
      try {
        const updates = await api.getUpdates({ offset, timeout: 25, allowed_updates: [...ALLOWED_UPDATES] }, controller.signal as never);
        await inbox.accept(updates);
        if (updates.length) offset = updates[updates.length - 1]!.update_id + 1;
        failures = 0;
      } catch (error) {
        if (controller.signal.aborted) break;
        failures++;
        logger.error({ err: brief(error), failures }, "polling failed, retrying");
        await new Promise((r) => setTimeout(r, Math.min(30_000, 1000 * 2 ** Math.min(failures, 5))));
      }
    }
  })();
  return {
    async stop() {
      controller.abort();
      await loop;
    },
  };
}
