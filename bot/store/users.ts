import { langFromClient } from "../i18n.js";
import type { Tx } from "../outbox/outbox.js";
import type { Db } from "./database.js";

export interface UserRecord {
  id: bigint;
  language: string | null;
  role: string;
}

export function createUserStore(db: Db) {
  return {
    /** Every update refreshes the names; the language is only set by the user's choice. */
    async touch(from: { id: number; first_name?: string; username?: string; language_code?: string }): Promise<UserRecord> {
      const clientLanguage = langFromClient(from.language_code) ?? null;
      const u = await db.user.upsert({
        where: { id: BigInt(from.id) },
        create: { id: BigInt(from.id), firstName: from.first_name ?? null, username: from.username ?? null, clientLanguage },
        // A user who writes again has unblocked the bot.
        update: { firstName: from.first_name ?? null, username: from.username ?? null, blockedBot: false, ...(clientLanguage ? { clientLanguage } : {}) },
        select: { id: true, language: true, role: true },
      });
      return u;
    },
    async setLanguage(id: number, language: string): Promise<void> {
      await db.user.update({ where: { id: BigInt(id) }, data: { language } });
    },

    async get(id: bigint | number) {
      return db.user.findUnique({ where: { id: BigInt(id) } });
    },

    async listStaff() {
      return db.user.findMany({ where: { role: { in: ["staff", "admin"] } }, orderBy: [{ role: "asc" }, { id: "asc" }] });
    },

    /**
     * Gives a user a role (creating the user row if they never wrote to the bot) and records
     * who did it. Returns the previous role, or null when nothing changed.
     */
    async setRole(
      userId: bigint,
      role: "applicant" | "staff" | "admin",
      actorId: bigint | null,
      now: Date,
      /** more to write with the change (the person's notice), in its transaction */
      also?: (tx: Tx) => Promise<unknown>,
    ): Promise<string | null> {
      return db.$transaction(async (tx) => {
        const before = await tx.user.findUnique({ where: { id: userId }, select: { role: true } });
        const fromRole = before?.role ?? "applicant";
        if (fromRole === role) return null;
        await tx.user.upsert({ where: { id: userId }, create: { id: userId, role }, update: { role } });
        await tx.roleChange.create({ data: { at: now, actorId, userId, fromRole, toRole: role } });
        await also?.(tx);
        return fromRole;
      });
    },
  };
}

export type UserStore = ReturnType<typeof createUserStore>;
