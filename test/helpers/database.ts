// One migrated PGlite template per run (global setup), loaded by each test file in well
// under a second; a PostgreSQL server instead when TEST_DATABASE_URL is set.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { openDatabase, type Database } from "../../bot/store/database.js";

export async function openTestDatabase(options: { dir?: string } = {}): Promise<Database> {
  // A data directory that exists already is opened as it is (a restart).
  if (options.dir && existsSync(path.join(options.dir, "PG_VERSION"))) return openDatabase({ pgliteDir: options.dir });
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
    `TRUNCATE "Outbox", "Broadcast", "RoleChange", "CaseEvent", "CaseFile", "Case", "DraftFile", "Draft", "ConversationState", "Counter", "User" RESTART IDENTITY CASCADE`,
  );
}
