import type { Db } from "./database.js";

export interface UserRecord {
  id: bigint;
  language: string | null;
  role: string;
}

export function createUserStore(db: Db) {
  return {
    /** Every update refreshes the names; the language is only set by the user's choice. */
    async touch(from: { id: number; first_name?: string; username?: string }): Promise<UserRecord> {
      const u = await db.user.upsert({
        where: { id: BigInt(from.id) },
        create: { id: BigInt(from.id), firstName: from.first_name ?? null, username: from.username ?? null },
        update: { firstName: from.first_name ?? null, username: from.username ?? null },
        select: { id: true, language: true, role: true },
      });
      return u;
    },
    async setLanguage(id: number, language: string): Promise<void> {
      await db.user.update({ where: { id: BigInt(id) }, data: { language } });
    },
  };
}

export type UserStore = ReturnType<typeof createUserStore>;
