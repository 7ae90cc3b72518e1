import type { VersionedState, VersionedStateStorage } from "@grammyjs/conversations";
import type { Db } from "./database.js";

/** The conversations plugin's state, in the database, so a conversation outlives the process. */
export function createConversationStorage<S>(db: Db): VersionedStateStorage<string, S> {
  return {
    async read(key) {
      const row = await db.conversationState.findUnique({ where: { key } });
      return (row?.value ?? undefined) as VersionedState<S> | undefined;
    },
    async write(key, state) {
      const value = state as never;
      await db.conversationState.upsert({ where: { key }, create: { key, value }, update: { value } });
    },
    async delete(key) {
      await db.conversationState.deleteMany({ where: { key } });
    },
  };
}
