// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL, or to the embedded database
// in DATA_DIR. The bot does the same at start; this is for deployments that migrate first.
import path from "node:path";
import { openDatabase } from "../bot/store/database.js";

const url = process.env.DATABASE_URL || undefined;
const dataDir = process.env.DATA_DIR || "./data";
const db = await openDatabase({ databaseUrl: url, pgliteDir: path.join(dataDir, "pglite"), migrate: false });
try {
  const { applyMigrations } = await import("./schema-engine.js");
  const applied = await applyMigrations(db.factory);
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "the database is up to date");
} finally {
  await db.close();
}
