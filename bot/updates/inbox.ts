// The update inbox: every update is stored first and handled by workers that any instance may
// run. Claims follow the oldest unfinished update of each chat, so a chat's updates are
// handled one at a time and in order across instances; a claim is a lease, so the updates a
// stopped (or killed) instance held are taken over when it runs out.
import { randomUUID } from "node:crypto";
import type { Update } from "grammy/types";
import { Prisma } from "../../prisma/generated/client.js";
import { brief, type Logger } from "../logger.js";
import type { Db } from "../store/database.js";

/** The key that orders updates: the chat, or the user for updates without a chat. */
export function chatKeyOf(update: Update): string {
  const parts = Object.values(update).filter((v): v is Record<string, any> => typeof v === "object" && v !== null);
  for (const p of parts) {
    const chat = p.chat ?? p.message?.chat;
    if (typeof chat?.id === "number") return `c${chat.id}`;
  }
  for (const p of parts) if (typeof p.from?.id === "number") return `u${p.from.id}`;
  return "none";
}

export interface InboxOptions {
  db: Db;
  handle: (update: Update) => Promise<void>;
  logger: Logger;
  now: () => Date;
  /** parallel workers in this instance (different chats only) */
  workers?: number;
  leaseMs?: number;
  maxAttempts?: number;
  idleMs?: number;
}

export class UpdateInbox {
  readonly instanceId = randomUUID().slice(0, 8);
  private running = false;
  private loops: Promise<void>[] = [];
  private wakers = new Set<() => void>();
  private readonly o: Required<InboxOptions>;

  constructor(options: InboxOptions) {
    this.o = { workers: 4, leaseMs: 20_000, maxAttempts: 12, idleMs: 500, ...options };
  }

  /** Stores updates (a second delivery of one is ignored); throws when the database cannot take them. */
  async accept(updates: Update[]): Promise<number> {
    if (!updates.length) return 0;
    const now = this.o.now();
    const r = await this.o.db.updateInbox.createMany({
      data: updates.map((u) => ({
        updateId: BigInt(u.update_id),
        chatKey: chatKeyOf(u),
        payload: u as unknown as Prisma.InputJsonValue,
        nextAttemptAt: now,
        receivedAt: now,
      })),
      skipDuplicates: true,
    });
    if (r.count) this.wake();
    return r.count;
  }

  /** Claims the next update it may handle and handles it; false when there is none. */
  async runOnce(): Promise<boolean> {
    const now = this.o.now();
    const lease = new Date(now.getTime() + this.o.leaseMs);
    const rows = await this.o.db.$queryRaw<Array<{ updateId: bigint; payload: unknown; attempts: number }>>`
      UPDATE "UpdateInbox" SET "status" = 'processing', "lockedBy" = ${this.instanceId}, "lockedUntil" = ${lease}, "attempts" = "attempts" + 1
      WHERE "updateId" = (
        SELECT u."updateId" FROM "UpdateInbox" u
        WHERE ((u."status" = 'pending' AND u."nextAttemptAt" <= ${now}) OR (u."status" = 'processing' AND u."lockedUntil" < ${now}))
          AND u."updateId" = (SELECT min(q."updateId") FROM "UpdateInbox" q WHERE q."chatKey" = u."chatKey" AND q."status" IN ('pending', 'processing'))
        ORDER BY u."updateId"
        LIMIT 1
        FOR UPDATE SKIP LOCKED)
      RETURNING "updateId", "payload", "attempts"`;
    const row = rows[0];
    if (!row) return false;
    const where = { updateId: row.updateId, lockedBy: this.instanceId };
    // The lease is short, so that a killed instance's updates are taken over soon; while an
    // update takes long (a large download) the claim is renewed.
    const heartbeat = setInterval(() => {
      void this.o.db.updateInbox.updateMany({ where, data: { lockedUntil: new Date(this.o.now().getTime() + this.o.leaseMs) } }).catch(() => undefined);
    }, this.o.leaseMs / 4);
    try {
      await this.o.handle(row.payload as Update);
      await this.o.db.updateInbox.updateMany({
        where,
        data: { status: "done", doneAt: this.o.now(), payload: Prisma.DbNull, lockedBy: null, lockedUntil: null },
      });
    } catch (error) {
      const give = row.attempts >= this.o.maxAttempts;
      const backoff = Math.min(60_000, 1000 * 2 ** (row.attempts - 1));
      this.o.logger.error({ updateId: Number(row.updateId), attempts: row.attempts, err: brief(error), giveUp: give }, "update not handled");
      // If the database is what failed, this fails too and the lease runs out instead.
      await this.o.db.updateInbox
        .updateMany({
          where,
          data: give
            ? { status: "failed", lockedBy: null, lockedUntil: null }
            : { status: "pending", lockedBy: null, lockedUntil: null, nextAttemptAt: new Date(this.o.now().getTime() + backoff) },
        })
        .catch(() => undefined);
    } finally {
      clearInterval(heartbeat);
    }
    return true;
  }

  /** Handles everything claimable now (tests, benchmarks). */
  async drain(): Promise<void> {
    while (await this.runOnce());
  }

  async pending(): Promise<number> {
    return this.o.db.updateInbox.count({ where: { status: { in: ["pending", "processing"] } } });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (let i = 0; i < this.o.workers; i++) this.loops.push(this.loop());
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let worked = false;
      try {
        worked = await this.runOnce();
        failures = 0;
      } catch (error) {
        // The database is unreachable: wait longer each time, and go on when it is back.
        failures++;
        if (failures === 1 || failures % 10 === 0) this.o.logger.error({ err: brief(error), failures }, "update inbox unavailable");
      }
      if (worked) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, failures ? Math.min(30_000, 500 * 2 ** failures) : this.o.idleMs);
        function done() {
          clearTimeout(timer);
          wakers.delete(done);
          resolve();
        }
        const wakers = this.wakers;
        wakers.add(done);
      });
    }
  }

  wake(): void {
    for (const w of [...this.wakers]) w();
  }

  /** Stops claiming; the updates in hand are finished. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await Promise.all(this.loops);
    this.loops = [];
  }

  /** Forgets handled updates after a day (Telegram does not redeliver that late). */
  async forgetOld(): Promise<number> {
    const before = new Date(this.o.now().getTime() - 86_400_000);
    return (await this.o.db.updateInbox.deleteMany({ where: { status: "done", doneAt: { lt: before } } })).count;
  }
}
