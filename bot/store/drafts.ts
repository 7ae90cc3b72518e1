import type { Db } from "./database.js";

export interface DraftFileRecord {
  id: number;
  itemId: string;
  fileName: string;
  format: string;
  size: number;
  sha256: string;
}

export interface DraftRecord {
  id: number;
  serviceId: string;
  variant: string;
  applicantType: string | null;
  idNumber: string | null;
  name: string | null;
  phone: string | null;
  email: string | null;
  emailAsked: boolean;
  phase: string;
  itemIndex: number;
  active: boolean;
  reachedReview: boolean;
  skippedItems: string[];
  files: DraftFileRecord[];
}

export type DraftPatch = Partial<Omit<DraftRecord, "id" | "files" | "serviceId" | "variant">>;

export interface NewDraftFile {
  itemId: string;
  telegramFileId: string;
  uniqueId: string;
  fileName: string;
  mime: string;
  format: string;
  size: number;
  sha256: string;
  storedPath: string;
}

const fileSelect = { id: true, itemId: true, fileName: true, format: true, size: true, sha256: true } as const;

export function createDraftStore(db: Db) {
  const get = async (userId: number): Promise<DraftRecord | null> =>
    // Plain JSON-safe values only: conversations store what they read in their replay log.
    db.draft.findUnique({
      where: { userId: BigInt(userId) },
      select: {
        id: true,
        serviceId: true,
        variant: true,
        applicantType: true,
        idNumber: true,
        name: true,
        phone: true,
        email: true,
        emailAsked: true,
        phase: true,
        itemIndex: true,
        active: true,
        reachedReview: true,
        skippedItems: true,
        files: { select: fileSelect, orderBy: { id: "asc" } },
      },
    });

  return {
    get,
    async create(userId: number, serviceId: string, variant: string, applicantType: string | null): Promise<void> {
      await db.draft.deleteMany({ where: { userId: BigInt(userId) } });
      await db.draft.create({ data: { userId: BigInt(userId), serviceId, variant, applicantType } });
    },
    async update(userId: number, patch: DraftPatch): Promise<void> {
      await db.draft.update({ where: { userId: BigInt(userId) }, data: patch });
    },
    async remove(userId: number): Promise<void> {
      await db.draft.deleteMany({ where: { userId: BigInt(userId) } });
    },
    /** A single-file item keeps only the newest file: sending another one replaces it. */
    async addFile(userId: number, file: NewDraftFile, replaceItem: boolean): Promise<void> {
      const draft = await db.draft.findUniqueOrThrow({ where: { userId: BigInt(userId) }, select: { id: true, skippedItems: true } });
      await db.$transaction([
        ...(replaceItem ? [db.draftFile.deleteMany({ where: { draftId: draft.id, itemId: file.itemId } })] : []),
        db.draftFile.create({ data: { ...file, draftId: draft.id } }),
        db.draft.update({ where: { id: draft.id }, data: { skippedItems: draft.skippedItems.filter((i) => i !== file.itemId) } }),
      ]);
    },
    async removeFile(userId: number, fileId: number): Promise<boolean> {
      const r = await db.draftFile.deleteMany({ where: { id: fileId, draft: { userId: BigInt(userId) } } });
      return r.count > 0;
    },
  };
}

export type DraftStore = ReturnType<typeof createDraftStore>;
