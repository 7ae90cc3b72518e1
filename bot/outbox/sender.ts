// Delivers the outbox within Telegram's limits. Rows are claimed with FOR UPDATE SKIP LOCKED
// and a lease, so several instances share the work and a stopped instance's claim expires.
// A row is marked "sending" just before its call: after a crash such a row is not sent again
// ("uncertain"), because Telegram has no idempotency key and a second copy is worse than none.
import { GrammyError, HttpError, type Api } from "grammy";
import { brief, type Logger } from "../logger.js";
import type { Db } from "../store/database.js";

export interface SenderOptions {
  db: Db;
  api: Api;
  logger: Logger;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** messages per second in all (Telegram: about 30) */
  perSecond?: number;
  /** the least time between two messages to one chat (Telegram: about 1 s) */
  perChatMs?: number;
  leaseMs?: number;
  batchSize?: number;
  maxAttempts?: number;
  /** told after each batch (broadcast progress) */
  afterBatch?: () => Promise<void>;
}

interface Claimed {
  id: number;
  chatId: bigint;
  kind: string;
  text: string;
  replyMarkup: unknown;
  attempts: number;
}

export type SendOutcome = "sent" | "retry" | "blocked" | "failed" | "deferred";

export class OutboxSender {
  private nextSlot = 0;
  private readonly lastToChat = new Map<string, number>();
  private pausedUntil = 0;
  /** the pace now: lowered after a 429, raised back slowly while Telegram accepts (AIMD) */
  private rate: number;
  private acceptedSinceRaise = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  readonly o: Required<Omit<SenderOptions, "afterBatch">> & Pick<SenderOptions, "afterBatch">;

  constructor(options: SenderOptions) {
    // Small batches and a short lease: a killed sender's unsent claims are free again soon.
    this.o = { perSecond: 30, perChatMs: 1000, leaseMs: 10_000, batchSize: 20, maxAttempts: 8, ...options };
    this.rate = this.o.perSecond;
  }

  /** Rows left "sending" by a process that died mid-call: not sent again, reported as uncertain. */
  async recoverInterrupted(): Promise<number> {
    const now = this.o.now();
    return this.o.db.outbox
      .updateMany({
        where: { status: "sending", lockedUntil: { lt: now } },
        data: { status: "uncertain", lastError: "interrupted while sending", lockedUntil: null },
      })
      .then((r) => r.count);
  }

  /** Claims and sends one batch; returns how many rows it handled (0: nothing due). */
  async runOnce(): Promise<number> {
    const now = this.o.now();
    if (now.getTime() < this.pausedUntil) return 0;
    await this.recoverInterrupted();
    const lease = new Date(now.getTime() + this.o.leaseMs);
    const rows = await this.o.db.$queryRaw<Claimed[]>`
      UPDATE "Outbox" SET "lockedUntil" = ${lease}
      WHERE "id" IN (
        SELECT "id" FROM "Outbox"
        WHERE "status" = 'pending' AND "nextAttemptAt" <= ${now} AND ("lockedUntil" IS NULL OR "lockedUntil" < ${now})
        ORDER BY ("kind" = 'broadcast'), "id"
        LIMIT ${this.o.batchSize}
        FOR UPDATE SKIP LOCKED)
      RETURNING "id", "chatId", "kind", "text", "replyMarkup", "attempts"`;
    // Case notices before a broadcast's thousands: RETURNING keeps no order.
    rows.sort((a, b) => Number(a.kind === "broadcast") - Number(b.kind === "broadcast") || a.id - b.id);
    let handled = 0;
    const sent: number[] = [];
    try {
      for (const [i, row] of rows.entries()) {
        if (this.o.now().getTime() < this.pausedUntil) {
          // Telegram asked to slow down: give the rest back for whoever sends next.
          await this.o.db.outbox.updateMany({ where: { id: { in: rows.slice(i).map((r) => r.id) } }, data: { lockedUntil: null } });
          break;
        }
        if ((await this.send(row)) === "sent") sent.push(row.id);
        handled++;
        // Marked in small groups: fewer writes, and few rows left "sending" if the process dies.
        if (sent.length >= 5) await this.markSent(sent.splice(0));
      }
    } finally {
      // Marked sent together: a crash before this leaves them "sending", i.e. not sent again.
      if (sent.length) await this.markSent(sent);
    }
    if (rows.length) await this.o.afterBatch?.();
    return handled;
  }

  private async send(row: Claimed): Promise<SendOutcome> {
    const { db, now } = this.o;
    const chatKey = String(row.chatId);
    const last = this.lastToChat.get(chatKey);
    if (last !== undefined && now().getTime() - last < this.o.perChatMs) {
      await db.outbox.update({ where: { id: row.id }, data: { lockedUntil: null, nextAttemptAt: new Date(last + this.o.perChatMs) } });
      return "deferred";
    }
    const wait = this.nextSlot - now().getTime();
    if (wait > 0) await this.o.sleep(wait);
    this.nextSlot = Math.max(now().getTime(), this.nextSlot) + 1000 / this.rate;

    const marked = await db.$executeRaw`UPDATE "Outbox" SET "status" = 'sending', "attempts" = "attempts" + 1 WHERE "id" = ${row.id} AND "status" = 'pending'`;
    if (!marked) return "deferred";
    try {
      await this.o.api.sendMessage(Number(row.chatId), row.text, {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        ...(row.replyMarkup ? { reply_markup: row.replyMarkup as never } : {}),
      });
      this.lastToChat.set(chatKey, now().getTime());
      if (++this.acceptedSinceRaise >= 50 && this.rate < this.o.perSecond) {
        this.rate = Math.min(this.o.perSecond, this.rate + 1);
        this.acceptedSinceRaise = 0;
      }
      if (this.lastToChat.size > 10_000) this.forgetOldChats();
      return "sent";
    } catch (error) {
      return this.failed(row, error);
    }
  }

  private async markSent(ids: number[]): Promise<void> {
    await this.o.db.outbox.updateMany({ where: { id: { in: ids } }, data: { status: "sent", sentAt: this.o.now(), lockedUntil: null } });
  }

  /** Keeps the per-chat pacing memory small during a broadcast to many chats. */
  private forgetOldChats(): void {
    const horizon = this.o.now().getTime() - this.o.perChatMs;
    for (const [chat, at] of this.lastToChat) if (at < horizon) this.lastToChat.delete(chat);
  }

  private async failed(row: Claimed, error: unknown): Promise<SendOutcome> {
    const { db, now, logger } = this.o;
    const attempts = row.attempts + 1;
    const description = error instanceof GrammyError ? `${error.error_code} ${error.description}` : brief(error);
    if (error instanceof GrammyError && error.error_code === 429) {
      const seconds = error.parameters.retry_after ?? 1;
      this.pausedUntil = now().getTime() + seconds * 1000;
      this.rate = Math.max(1, Math.floor(this.rate * 0.8));
      this.acceptedSinceRaise = 0;
      logger.warn({ retryAfter: seconds, outboxId: row.id }, "telegram asked to slow down");
      // A 429 is Telegram's pacing, not the message's fault: it does not use up an attempt.
      await db.outbox.update({
        where: { id: row.id },
        data: { status: "pending", attempts: row.attempts, lockedUntil: null, nextAttemptAt: new Date(this.pausedUntil), lastError: description },
      });
      return "retry";
    }
    if (error instanceof GrammyError && error.error_code === 403) {
      await db.$transaction([
        db.outbox.update({ where: { id: row.id }, data: { status: "blocked", lockedUntil: null, lastError: description } }),
        db.user.updateMany({ where: { id: row.chatId }, data: { blockedBot: true } }),
      ]);
      logger.info({ outboxId: row.id }, "recipient blocked the bot");
      return "blocked";
    }
    const transient = error instanceof HttpError || (error instanceof GrammyError && error.error_code >= 500);
    if (transient && attempts < this.o.maxAttempts) {
      const backoff = Math.min(300_000, 1000 * 2 ** (attempts - 1));
      await db.outbox.update({
        where: { id: row.id },
        data: { status: "pending", lockedUntil: null, nextAttemptAt: new Date(now().getTime() + backoff), lastError: description },
      });
      logger.warn({ outboxId: row.id, attempts, backoffMs: backoff, err: description }, "send failed, will retry");
      return "retry";
    }
    await db.outbox.update({ where: { id: row.id }, data: { status: "failed", lockedUntil: null, lastError: description } });
    logger.error({ outboxId: row.id, attempts, err: description }, "message could not be delivered");
    return "failed";
  }

  /** Sends until nothing is due now (tests and the end of a batch of work). */
  async drain(maxRounds = 100_000): Promise<void> {
    for (let i = 0; i < maxRounds; i++) {
      const n = await this.runOnce();
      if (n > 0) continue;
      const next = await this.nextDueAt();
      if (!next) return;
      const wait = Math.max(next.getTime(), this.pausedUntil) - this.o.now().getTime();
      if (wait > 0) await this.o.sleep(wait);
    }
  }

  /** When the next pending row becomes due, if any row is pending at all. */
  async nextDueAt(): Promise<Date | undefined> {
    const row = await this.o.db.outbox.findFirst({ where: { status: "pending" }, orderBy: { nextAttemptAt: "asc" }, select: { nextAttemptAt: true } });
    return row?.nextAttemptAt;
  }

  /** The background loop: sends what is due, sleeps a second when idle, wakes early on `wake()`. */
  start(idleMs = 1000): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          const n = await this.runOnce();
          if (n > 0) continue;
        } catch (error) {
          this.o.logger.error({ err: brief(error) }, "outbox round failed");
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, idleMs);
          this.wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    })();
  }

  wake(): void {
    this.wakeUp?.();
  }

  /** Finishes the message in hand and stops; claimed rows not started go back to the queue. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }
}
