// Rows of the outbox. Writers pass their transaction, so a message exists exactly when the
// change that causes it was committed.
import type { Prisma } from "../../prisma/generated/client.js";

export type Tx = Prisma.TransactionClient;

export interface OutgoingMessage {
  chatId: bigint | number;
  kind: "notice" | "staff" | "reminder" | "broadcast" | "report";
  text: string;
  replyMarkup?: unknown;
  caseId?: number;
  broadcastId?: number;
  /** the same key is stored once: a reminder computed twice (two instances, a restart) is sent once */
  dedupeKey?: string;
}

export async function enqueue(tx: Tx, now: Date, messages: OutgoingMessage[]): Promise<number> {
  if (!messages.length) return 0;
  const result = await tx.outbox.createMany({
    data: messages.map((m) => ({
      chatId: BigInt(m.chatId),
      kind: m.kind,
      text: m.text,
      replyMarkup: (m.replyMarkup ?? undefined) as Prisma.InputJsonValue | undefined,
      caseId: m.caseId ?? null,
      broadcastId: m.broadcastId ?? null,
      dedupeKey: m.dedupeKey ?? null,
      nextAttemptAt: now,
      createdAt: now,
    })),
    skipDuplicates: true,
  });
  return result.count;
}
