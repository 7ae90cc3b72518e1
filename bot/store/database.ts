// Opens the database: a PostgreSQL server when DATABASE_URL is set, embedded PGlite otherwise.
// Migrations are applied here, so a fresh machine needs no set-up step.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../../prisma/generated/client.js";
import { applyMigrations } from "../../prisma/schema-engine.js";

export type Db = PrismaClient;

export interface Database {
  prisma: PrismaClient;
  kind: "pglite" | "postgresql";
  /** the server's URL (a second connection, e.g. another instance in a test) */
  url?: string;
  factory: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  /** Embedded database directory; "memory://" for a throwaway one. */
  pgliteDir?: string;
  /** A dump of a migrated PGlite data directory (tests start from it in well under a second). */
  pgliteTemplate?: Blob | File;
  migrate?: boolean;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  let factory: SqlMigrationAwareDriverAdapterFactory;
  let closeDriver: () => Promise<void>;
  let kind: Database["kind"];
  if (options.databaseUrl) {
    kind = "postgresql";
    factory = new PrismaPg({ connectionString: options.databaseUrl });
    closeDriver = async () => {};
  } else {
    kind = "pglite";
    const dir = options.pgliteDir ?? "memory://";
    if (!dir.startsWith("memory://")) await mkdir(path.dirname(path.resolve(dir)), { recursive: true });
    const pg = await PGlite.create(dir.startsWith("memory://") ? undefined : dir, options.pgliteTemplate ? { loadDataDir: options.pgliteTemplate } : {});
    factory = new PrismaPGlite(pg);
    closeDriver = () => pg.close();
  }
  if (options.migrate !== false) await applyMigrations(factory);
  const prisma = new PrismaClient({ adapter: factory });
  return {
    prisma,
    kind,
    ...(options.databaseUrl ? { url: options.databaseUrl } : {}),
    factory,
    async close() {
      await prisma.$disconnect();
      await closeDriver();
    },
  };
}

/**
 * Whether an error means the database cannot be reached (as opposed to a query's own error):
 * such an update is not done, it is handled again when the database is back.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${error.message} ${String((error as { cause?: unknown }).cause ?? "")}` : String(error);
  return /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|Connection terminated|connection (?:is )?(?:closed|terminated)|terminating connection|Can't reach database|DatabaseNotReachable|ConnectionClosed|P1001|P1017|timeout exceeded when trying to connect|the database system is (?:shutting down|starting up)|PGlite is closed|does not allow connections/i.test(
    text,
  );
}
