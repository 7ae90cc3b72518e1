import { dayKeyOf } from "../../flows/calendar/kz-time.js";
import type { Tx } from "../outbox/outbox.js";
import type { Db } from "./database.js";
import type { NewDraftFile } from "./drafts.js";

export interface CaseEventRecord {
  at: Date;
  type: string;
  toStage: string | null;
  comment: string | null;
  data: unknown;
  actorId: bigint | null;
}

export interface CaseSummary {
  id: number;
  number: string;
  serviceId: string;
  variant: string;
  stage: string;
  version: number;
  submittedAt: Date;
  events: CaseEventRecord[];
}

export interface CaseDetail extends CaseSummary {
  applicantType: string;
  idNumber: string;
  name: string;
  phone: string;
  email: string | null;
  userId: bigint;
  executorId: bigint | null;
  certificateNo: string | null;
  files: Array<{ id: number; itemId: string; fileName: string; size: number; version: number; telegramFileId: string }>;
}

const eventSelect = { at: true, type: true, toStage: true, comment: true, data: true, actorId: true } as const;
const summarySelect = {
  id: true,
  number: true,
  serviceId: true,
  variant: true,
  stage: true,
  version: true,
  submittedAt: true,
  events: { select: eventSelect, orderBy: { id: "asc" } },
} as const;
const detailInclude = {
  files: { select: { id: true, itemId: true, fileName: true, size: true, version: true, telegramFileId: true }, orderBy: { id: "asc" } },
  events: { select: eventSelect, orderBy: { id: "asc" } },
} as const;

export class DraftIncompleteError extends Error {}

/** The files of each item's latest version (a replaced document keeps its old versions). */
export function currentFiles<F extends { itemId: string; version: number }>(files: F[]): F[] {
  const latest = new Map<string, number>();
  for (const f of files) latest.set(f.itemId, Math.max(latest.get(f.itemId) ?? 0, f.version));
  return files.filter((f) => f.version === latest.get(f.itemId));
}

export interface CaseStoreHooks {
  /** runs inside the submission's transaction (the staff notices go out with the case or not at all) */
  onSubmitted?: (tx: Tx, caseId: number, now: Date) => Promise<void>;
}

export function createCaseStore(db: Db, hooks: CaseStoreHooks = {}) {
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
        await hooks.onSubmitted?.(tx, created.id, now);
        return (await tx.case.findUnique({ where: { id: created.id }, select: summarySelect }))!;
      });
    },

    async listForUser(userId: number): Promise<CaseSummary[]> {
      return db.case.findMany({
        where: { userId: BigInt(userId) },
        orderBy: { submittedAt: "desc" },
        select: summarySelect,
      });
    },

    /** Cases not issued or refused yet, for the staff queue. */
    async listOpen(openStages: string[]): Promise<CaseSummary[]> {
      return db.case.findMany({ where: { stage: { in: openStages } }, select: summarySelect, orderBy: { id: "asc" } });
    },

    /** Every case (statistics, export): summaries with their events. */
    async listAll(): Promise<Array<CaseSummary & { closedAt: Date | null; certificateNo: string | null; applicantType: string }>> {
      return db.case.findMany({ select: { ...summarySelect, closedAt: true, certificateNo: true, applicantType: true }, orderBy: { id: "asc" } });
    },

    /** Any case, for staff (the caller checked the role). */
    async get(caseId: number): Promise<CaseDetail | null> {
      return db.case.findUnique({ where: { id: caseId }, include: detailInclude });
    },

    async findByNumber(number: string): Promise<CaseDetail | null> {
      return db.case.findUnique({ where: { number: number.trim().toUpperCase() }, include: detailInclude });
    },

    /** A new version of a document of the case (the previous ones stay in the history). */
    async addFile(caseId: number, file: NewDraftFile): Promise<void> {
      const last = await db.caseFile.findFirst({ where: { caseId, itemId: file.itemId }, orderBy: { version: "desc" }, select: { version: true } });
      await db.caseFile.create({ data: { caseId, ...file, version: (last?.version ?? 0) + 1 } });
    },

    /** Only the applicant's own case: someone else's id answers as if it did not exist. */
    async getForUser(userId: number, caseId: number): Promise<CaseDetail | null> {
      const c = await db.case.findFirst({
        where: { id: caseId, userId: BigInt(userId) },
        include: detailInclude,
      });
      return c;
    },
  };
}

export type CaseStore = ReturnType<typeof createCaseStore>;
