// Moves cases through the lifecycle. Each transition is one transaction: the role and the
// stage are checked inside it, the version guards against a concurrent action, and the
// event and the notices it causes are written with it.
import { atLocal, dayKeyOf } from "../../flows/calendar/kz-time.js";
import type { ServiceVariant } from "../../flows/catalog/load.js";
import type { ActionDef, Lifecycle } from "../../flows/workflow/lifecycle.js";
import { languageOf } from "../i18n.js";
import { applicantNotice, staffNotice, type CaseForNotice, type NoticeDeps, type StaffRecipient } from "../notices.js";
import { enqueue, type Tx } from "../outbox/outbox.js";
import type { Db } from "./database.js";

export const STAFF_ROLES = ["staff", "admin"] as const;
export const isStaffRole = (role: string | undefined) => role === "staff" || role === "admin";

export interface ActionInputValues {
  items?: string[];
  comment?: string;
  commission?: string;
  start?: string;
  end?: string;
  actDate?: string;
  certificateNo?: string;
  issuedOn?: string;
}

export type TransitionResult =
  { ok: true; caseId: number; number: string; stage: string; version: number } | { ok: false; reason: "not-found" | "forbidden" | "not-allowed" | "conflict" };

class Abort extends Error {
  constructor(readonly reason: "not-found" | "forbidden" | "not-allowed" | "conflict") {
    super(reason);
  }
}

export interface WorkflowOptions {
  db: Db;
  notices: NoticeDeps;
  /** a staff group chat that gets the staff notices instead of each member */
  staffChatId?: bigint;
}

export function createWorkflow({ db, notices, staffChatId }: WorkflowOptions) {
  const lifecycle: Lifecycle = notices.lifecycle;

  async function staffRecipients(tx: Tx): Promise<StaffRecipient[]> {
    if (staffChatId !== undefined) return [{ chatId: staffChatId, language: null }];
    const staff = await tx.user.findMany({ where: { role: { in: [...STAFF_ROLES] }, blockedBot: false }, orderBy: { id: "asc" } });
    return staff.map((u) => ({ chatId: u.id, language: languageOf(u) }));
  }

  async function caseForNotice(tx: Tx, caseId: number): Promise<CaseForNotice | null> {
    const c = await tx.case.findUnique({
      where: { id: caseId },
      include: { user: { select: { language: true, clientLanguage: true } }, events: { orderBy: { id: "asc" } } },
    });
    if (!c) return null;
    return { ...c, userLanguage: languageOf(c.user) };
  }

  /** The date a step really ended: the day a staff member entered, or now when it is today. */
  function instantOf(day: string | undefined, now: Date): Date | undefined {
    if (!day || day === dayKeyOf(now)) return undefined;
    return atLocal(day, notices.calendar.dayEnd);
  }

  return {
    lifecycle,

    /** Staff are told of a new case in the submission's own transaction. */
    async onSubmitted(tx: Tx, caseId: number, now: Date): Promise<void> {
      const c = (await caseForNotice(tx, caseId))!;
      await enqueue(tx, now, staffNotice(notices, await staffRecipients(tx), c, "submitted"));
    },

    async transition(p: {
      caseId: number;
      actionId: string;
      actorId: number;
      by: ActionDef["by"];
      /** the version the actor saw; omitted, the one read in the transaction */
      expectedVersion?: number;
      input?: ActionInputValues;
      now: Date;
    }): Promise<TransitionResult> {
      try {
        return await db.$transaction(async (tx) => {
          const c = await tx.case.findUnique({ where: { id: p.caseId } });
          if (!c) throw new Abort("not-found");
          if (p.by === "staff") {
            const actor = await tx.user.findUnique({ where: { id: BigInt(p.actorId) }, select: { role: true } });
            if (!isStaffRole(actor?.role)) throw new Abort("forbidden");
          } else if (c.userId !== BigInt(p.actorId)) {
            throw new Abort("not-found");
          }
          const sv: ServiceVariant = notices.catalog.stored(c.serviceId, c.variant);
          const def = lifecycle.action(sv, c.stage, p.actionId, p.by);
          if (!def) throw new Abort("not-allowed");
          const version = p.expectedVersion ?? c.version;
          const input = p.input ?? {};
          const stepIds = new Set(sv.steps.map((s) => s.id));
          const doneDay = p.actionId === "act" ? input.actDate : p.actionId === "issue" ? input.issuedOn : undefined;
          const doneAt = instantOf(doneDay, p.now);
          const updated = await tx.case.updateMany({
            where: { id: c.id, version, stage: c.stage },
            data: {
              stage: def.to,
              version: { increment: 1 },
              ...(p.actionId === "assign" ? { executorId: BigInt(p.actorId) } : {}),
              ...(input.certificateNo ? { certificateNo: input.certificateNo } : {}),
              ...(lifecycle.isFinal(def.to) ? { closedAt: p.now } : {}),
            },
          });
          if (!updated.count) throw new Abort("conflict");
          const { comment, ...rest } = input;
          const event = await tx.caseEvent.create({
            data: {
              caseId: c.id,
              at: p.now,
              actorId: BigInt(p.actorId),
              type: def.id,
              fromStage: c.stage,
              toStage: def.to,
              comment: comment ?? null,
              data: { completes: def.completes.filter((s) => stepIds.has(s)), ...(doneAt ? { doneAt: doneAt.toISOString() } : {}), ...rest },
            },
          });
          const after = (await caseForNotice(tx, c.id))!;
          const messages = [applicantNotice(notices, after, event)];
          if (p.by === "applicant") messages.push(...staffNotice(notices, await staffRecipients(tx), after, "applicant-acted", event));
          await enqueue(tx, p.now, messages);
          return { ok: true as const, caseId: c.id, number: c.number, stage: def.to, version: version + 1 };
        });
      } catch (error) {
        if (error instanceof Abort) return { ok: false, reason: error.reason };
        throw error;
      }
    },
  };
}

export type Workflow = ReturnType<typeof createWorkflow>;
