import { mkdtemp, writeFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { applyMigrations } from "../prisma/schema-engine.js";
import { openDatabase } from "../bot/store/database.js";
import { PG_TEMPLATE, databaseUrl, onServer, serverUrl } from "./helpers/database.js";

let dir: string | undefined;

/**
 * Creates and migrates one PGlite database, and dumps it as the template every test file loads;
 * on a PostgreSQL server, a migrated template database too.
 */
export async function setup() {
  if (serverUrl) {
    await onServer(async (admin) => {
      await admin.prisma.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${PG_TEMPLATE}"`);
      await admin.prisma.$executeRawUnsafe(`CREATE DATABASE "${PG_TEMPLATE}"`);
    });
    const template = await openDatabase({ databaseUrl: databaseUrl(PG_TEMPLATE) });
    await template.close();
  }
  dir = await mkdtemp(path.join(os.tmpdir(), "qanat-test-"));
  const pg = await PGlite.create();
  await applyMigrations(new PrismaPGlite(pg));
  const dump = await pg.dumpDataDir("none");
  const file = path.join(dir, "template.tar");
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  await pg.close();
  process.env.QANAT_PGLITE_TEMPLATE = file;
}

export async function teardown() {
  if (dir) await rm(dir, { recursive: true, force: true });
}
