import { dayKeyOf } from "../../flows/calendar/kz-time.js";
import type { Db } from "./database.js";

export interface CaseSummary {
  id: number;
  number: string;
  serviceId: string;
  variant: string;
  stage: string;
  submittedAt: Date;
}

export interface CaseEventRecord {
  at: Date;
  type: string;
  stepId: string | null;
  toStage: string | null;
  comment: string | null;
}

export interface CaseDetail extends CaseSummary {
  applicantType: string;
  idNumber: string;
  name: string;
  phone: string;
  email: string | null;
  files: Array<{ itemId: string; fileName: string; size: number; version: number }>;
  events: CaseEventRecord[];
}

export class DraftIncompleteError extends Error {}

export function createCaseStore(db: Db) {
  return {
    /**
     * Turns the draft into a case in one transaction: the number, the case, its files and the
     * "submitted" event appear together or not at all, and the draft goes away with them.
     */
    async submitDraft(userId: number, code: string, now: Date): Promise<CaseSummary> {
      return db.$transaction(async (tx) => {
        const draft = await tx.draft.findUnique({ where: { userId: BigInt(userId) }, include: { files: { orderBy: { id: "asc" } } } });
        if (!draft || !draft.applicantType || !draft.idNumber || !draft.name || !draft.phone) throw new DraftIncompleteError();
        const year = Number(dayKeyOf(now).slice(0, 4));
        const key = `${code}-${year}`;
        const [row] = await tx.$queryRaw<Array<{ value: number }>>`
          INSERT INTO "Counter" ("key", "value") VALUES (${key}, 1)
          ON CONFLICT ("key") DO UPDATE SET "value" = "Counter"."value" + 1
          RETURNING "value"`;
        const number = `${key}-${String(row!.value).padStart(6, "0")}`;
        const created = await tx.case.create({
          data: {
            number,
            userId: BigInt(userId),
            serviceId: draft.serviceId,
            variant: draft.variant,
            applicantType: draft.applicantType,
            idNumber: draft.idNumber,
            name: draft.name,
            phone: draft.phone,
            email: draft.email,
            stage: "submitted",
            submittedAt: now,
            files: {
              create: draft.files.map((f) => ({
                itemId: f.itemId,
                telegramFileId: f.telegramFileId,
                uniqueId: f.uniqueId,
                fileName: f.fileName,
                mime: f.mime,
                format: f.format,
                size: f.size,
                sha256: f.sha256,
                storedPath: f.storedPath,
              })),
            },
            events: { create: { at: now, actorId: BigInt(userId), type: "submitted", toStage: "submitted" } },
          },
        });
        await tx.draft.delete({ where: { id: draft.id } });
        return { id: created.id, number, serviceId: created.serviceId, variant: created.variant, stage: created.stage, submittedAt: created.submittedAt };
      });
    },

    async listForUser(userId: number): Promise<CaseSummary[]> {
      return db.case.findMany({
        where: { userId: BigInt(userId) },
        orderBy: { submittedAt: "desc" },
        select: { id: true, number: true, serviceId: true, variant: true, stage: true, submittedAt: true },
      });
    },

    /** Only the applicant's own case: someone else's id answers as if it did not exist. */
    async getForUser(userId: number, caseId: number): Promise<CaseDetail | null> {
      const c = await db.case.findFirst({
        where: { id: caseId, userId: BigInt(userId) },
        include: {
          files: { select: { itemId: true, fileName: true, size: true, version: true }, orderBy: { id: "asc" } },
          events: { select: { at: true, type: true, stepId: true, toStage: true, comment: true }, orderBy: { at: "asc" } },
        },
      });
      return c;
    },
  };
}

export type CaseStore = ReturnType<typeof createCaseStore>;
