import { describe, expect, it } from "vitest";
import { applyMigrations, diffDatabaseToSchema } from "../prisma/schema-engine.js";
import { openTestDatabase } from "./helpers/database.js";

describe("migrations", () => {
  it("prisma/migrations applied to an empty database give exactly schema.prisma (no drift), and re-applying is a no-op", async () => {
    const db = await openTestDatabase();
    try {
      expect(await diffDatabaseToSchema(db.factory)).toBe("");
      expect(await applyMigrations(db.factory)).toEqual([]);
      const applied = await db.prisma.$queryRawUnsafe<Array<{ migration_name: string }>>(`SELECT migration_name FROM _prisma_migrations`);
      expect(applied.map((r) => r.migration_name)).toEqual([expect.stringMatching(/^\d{14}_init$/)]);
    } finally {
      await db.close();
    }
  });
});
