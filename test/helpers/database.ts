// One migrated template per run (test/global-setup.ts), copied for each test file: a PGlite
// dump loaded in well under a second, or, when TEST_DATABASE_URL is set (scripts/with-postgres.sh),
// a PostgreSQL database created from a migrated template database.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { openDatabase, type Database } from "../../bot/store/database.js";

export const serverUrl = process.env.TEST_DATABASE_URL || undefined;
export const PG_TEMPLATE = "qanat_template";

export function databaseUrl(name: string): string {
  const u = new URL(serverUrl!);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs statements on the server's maintenance database (CREATE DATABASE cannot run in a transaction). */
export async function onServer<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const admin = await openDatabase({ databaseUrl: serverUrl!, migrate: false });
  try {
    return await work(admin);
  } finally {
    await admin.close();
  }
}

let serial = 0;

/**
 * A database for one test file. `dir` names a database that outlives a "process" (opened again
 * with the same dir, it is the same database); `empty` skips the template (nothing migrated).
 */
export async function openTestDatabase(options: { dir?: string; empty?: boolean } = {}): Promise<Database> {
  if (serverUrl) {
    const name = options.dir
      ? `qanat_${createHash("sha1").update(options.dir).digest("hex").slice(0, 16)}`
      : `qanat_${process.pid}_${++serial}_${Date.now().toString(36)}`;
    await onServer(async (admin) => {
      const found = await admin.prisma.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM pg_database WHERE datname = $1`, name);
      if (found.length) return;
      // A template being copied by another file's CREATE DATABASE, or a connection just closed,
      // counts as "in use" for a moment: try again.
      for (let attempt = 0; ; attempt++) {
        try {
          await admin.prisma.$executeRawUnsafe(`CREATE DATABASE "${name}" TEMPLATE ${options.empty ? "template0" : `"${PG_TEMPLATE}"`}`);
          return;
        } catch (error) {
          if (attempt >= 100 || !/being accessed by other users/.test(String(error))) throw error;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    });
    return openDatabase({ databaseUrl: databaseUrl(name), migrate: false });
  }
  // A data directory that exists already is opened as it is (a restart).
  if (options.dir && existsSync(path.join(options.dir, "PG_VERSION"))) return openDatabase({ pgliteDir: options.dir });
  if (options.empty) return openDatabase({ pgliteDir: options.dir ?? "memory://", migrate: false });
  const template = process.env.QANAT_PGLITE_TEMPLATE;
  if (!template) throw new Error("QANAT_PGLITE_TEMPLATE is not set: run the tests through vitest (test/global-setup.ts)");
  return openDatabase({
    pgliteDir: options.dir ?? "memory://",
    pgliteTemplate: new Blob([await readFile(template)]),
  });
}

/** Empties every table between tests (faster than a new database). */
export async function resetDatabase(db: Database): Promise<void> {
  await db.prisma.$executeRawUnsafe(
    `TRUNCATE "UpdateInbox", "Outbox", "Broadcast", "RoleChange", "CaseEvent", "CaseFile", "Case", "DraftFile", "Draft", "ConversationState", "Counter", "User" RESTART IDENTITY CASCADE`,
  );
}
