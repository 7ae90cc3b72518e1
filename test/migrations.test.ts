import { describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import { applyMigrations, diffDatabaseToSchema, migrationsDir } from "../prisma/schema-engine.js";
import { openTestDatabase, serverUrl } from "./helpers/database.js";

describe("migrations", () => {
  it(`prisma/migrations applied to an empty database give exactly schema.prisma (no drift), and re-applying is a no-op (${serverUrl ? "PostgreSQL server" : "PGlite"})`, async () => {
    const db = await openTestDatabase({ empty: true });
    try {
      const onDisk = readdirSync(migrationsDir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort();
      expect(await applyMigrations(db.factory)).toEqual(onDisk);
      expect(await diffDatabaseToSchema(db.factory)).toBe("");
      expect(await applyMigrations(db.factory)).toEqual([]);
      const applied = await db.prisma.$queryRawUnsafe<Array<{ migration_name: string }>>(`SELECT migration_name FROM _prisma_migrations`);
      expect(onDisk[0]).toMatch(/^\d{14}_init$/);
      expect(applied.map((r) => r.migration_name).sort()).toEqual(onDisk);
    } finally {
      await db.close();
    }
  });
});
