// Broadcasts: the audience is resolved and every recipient's message written to the outbox in
// one transaction (one row per recipient, keyed, so nobody is served twice even after a
// restart); the sender delivers them and this store reports progress and the end.
import type { Lifecycle } from "../../flows/workflow/lifecycle.js";
import { languageOf, type Lang } from "../i18n.js";
import { enqueue } from "../outbox/outbox.js";
import type { Db } from "./database.js";

export type Audience = "case" | "service" | "open" | "all";

export interface BroadcastCounts {
  total: number;
  sent: number;
  failed: number;
  blocked: number;
  /** cut off by a stopped process mid-send: not repeated, delivery not confirmed */
  uncertain: number;
  pending: number;
}

export function createBroadcastStore(db: Db, lifecycle: Lifecycle) {
  async function recipients(audience: Audience, param?: string, client: Pick<Db, "user"> = db): Promise<Array<{ id: bigint; language: Lang }>> {
    const open = { stage: { in: lifecycle.openStages() } };
    const where =
      audience === "case"
        ? { cases: { some: { number: (param ?? "").toUpperCase() } } }
        : audience === "service"
          ? { cases: { some: { ...open, serviceId: param ?? "" } } }
          : audience === "open"
            ? { cases: { some: open } }
            : {};
    const users = await client.user.findMany({
      where: { ...where, blockedBot: false },
      select: { id: true, language: true, clientLanguage: true },
      orderBy: { id: "asc" },
    });
    return users.map((u) => ({ id: u.id, language: languageOf(u) }));
  }

  return {
    recipients,

    async create(p: {
      createdBy: number;
      audience: Audience;
      param?: string;
      textKk: string;
      textRu: string;
      progressChatId: number;
      now: Date;
    }): Promise<{ id: number; total: number }> {
      return db.$transaction(
        async (tx) => {
          const users = await recipients(p.audience, p.param, tx);
          const b = await tx.broadcast.create({
            data: {
              createdBy: BigInt(p.createdBy),
              audience: p.audience,
              audienceParam: p.param ?? null,
              textKk: p.textKk,
              textRu: p.textRu,
              total: users.length,
              progressChatId: BigInt(p.progressChatId),
              createdAt: p.now,
              ...(users.length ? {} : { status: "done", finishedAt: p.now }),
            },
          });
          await enqueue(
            tx,
            p.now,
            users.map((u) => ({
              chatId: u.id,
              kind: "broadcast" as const,
              text: u.language === "ru" ? p.textRu : p.textKk,
              broadcastId: b.id,
              dedupeKey: `broadcast:${b.id}:${u.id}`,
            })),
          );
          return { id: b.id, total: users.length };
        },
        { timeout: 60_000 },
      );
    },

    async setProgressMessage(id: number, messageId: number): Promise<void> {
      await db.broadcast.update({ where: { id }, data: { progressMsgId: messageId } });
    },

    async counts(id: number): Promise<BroadcastCounts> {
      const b = await db.broadcast.findUniqueOrThrow({ where: { id }, select: { total: true } });
      const groups = await db.outbox.groupBy({ by: ["status"], where: { broadcastId: id }, _count: { _all: true } });
      const n = (s: string[]) => groups.filter((g) => s.includes(g.status)).reduce((a, g) => a + g._count._all, 0);
      return {
        total: b.total,
        sent: n(["sent"]),
        failed: n(["failed"]),
        blocked: n(["blocked"]),
        uncertain: n(["uncertain"]),
        pending: n(["pending", "sending"]),
      };
    },

    async running(): Promise<Array<{ id: number; createdBy: bigint; progressChatId: bigint; progressMsgId: number | null }>> {
      return db.broadcast.findMany({ where: { status: "running" }, select: { id: true, createdBy: true, progressChatId: true, progressMsgId: true } });
    },

    /**
     * Closes a broadcast with nothing left to send and queues its report, once: of two
     * instances finishing at the same moment only one flips the status.
     */
    async finish(id: number, report: string, now: Date): Promise<boolean> {
      return db.$transaction(async (tx) => {
        const flipped = await tx.broadcast.updateMany({ where: { id, status: "running" }, data: { status: "done", finishedAt: now } });
        if (!flipped.count) return false;
        const b = await tx.broadcast.findUniqueOrThrow({ where: { id } });
        await enqueue(tx, now, [{ chatId: b.progressChatId, kind: "report", text: report, dedupeKey: `broadcast-report:${id}` }]);
        return true;
      });
    },
  };
}

export type BroadcastStore = ReturnType<typeof createBroadcastStore>;
