// Prisma's official schema engine compiled to WebAssembly: migrations without the native
// engine that the CLI would download. The package targets bundlers, so the .wasm is
// instantiated by hand here instead of needing `node --experimental-wasm-modules`.
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
export const schemaPath = path.join(here, "schema.prisma");
export const migrationsDir = path.join(here, "migrations");

type Glue = typeof import("@prisma/schema-engine-wasm/schema_engine_bg");
type Engine = Awaited<ReturnType<Glue["SchemaEngine"]["new"]>>;

let gluePromise: Promise<Glue> | undefined;

function loadGlue(): Promise<Glue> {
  gluePromise ??= (async () => {
    const glue = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as Glue;
    const wasmPath = path.join(path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")), "schema_engine_bg.wasm");
    const { instance } = await (
      globalThis as unknown as { WebAssembly: { instantiate(b: Buffer, i: object): Promise<{ instance: { exports: Record<string, unknown> } }> } }
    ).WebAssembly.instantiate(await readFile(wasmPath), { "./schema_engine_bg.js": glue as never });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return gluePromise;
}

const noFilters = { externalTables: [], externalEnums: [] };

/**
 * @prisma/adapter-pg 7.10 has no column type for the catalog type "char" (OID 18), which the
 * engine's introspection reads (e.g. pg_constraint.contype): without this, a diff against a
 * PostgreSQL server fails with "Column type 'char' could not be deserialized". node-postgres
 * already returns such values as strings, so they are declared text.
 */
function charAsText(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  type IO = {
    performIO?: (...args: unknown[]) => Promise<{ fields?: Array<{ dataTypeID: number }> }>;
    startTransaction?: (...a: unknown[]) => Promise<unknown>;
  };
  const patch = <T>(queryable: T): T => {
    const q = queryable as IO;
    const io = q.performIO?.bind(q);
    if (io) {
      q.performIO = async (...args) => {
        const result = await io(...args);
        for (const f of result.fields ?? []) if (f.dataTypeID === 18) f.dataTypeID = 25;
        return result;
      };
    }
    const start = q.startTransaction?.bind(q);
    if (start) q.startTransaction = async (...args) => patch(await start(...args));
    return queryable;
  };
  if (factory.provider !== "postgres" || factory.adapterName !== "@prisma/adapter-pg") return factory;
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => patch(await factory.connect()),
    connectToShadowDb: async () => patch(await factory.connectToShadowDb()),
  };
}

async function openEngine(factory: SqlMigrationAwareDriverAdapterFactory): Promise<Engine> {
  const glue = await loadGlue();
  const schema = await readFile(schemaPath, "utf8");
  const bound = bindMigrationAwareSqlAdapterFactory(charAsText(factory));
  return glue.SchemaEngine.new({ datamodels: [[schemaPath, schema]] }, () => {}, bound);
}

async function migrationList() {
  const dirs = (await readdir(migrationsDir, { withFileTypes: true }).catch(() => []))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const migrationDirectories = await Promise.all(
    dirs.map(async (name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok" as const, value: await readFile(path.join(migrationsDir, name, "migration.sql"), "utf8") },
      },
    })),
  );
  const lock = await readFile(path.join(migrationsDir, "migration_lock.toml"), "utf8").catch(() => 'provider = "postgresql"\n');
  return {
    baseDir: migrationsDir,
    lockfile: { path: "migration_lock.toml", content: lock },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

/** Applies what is new in prisma/migrations; recorded in `_prisma_migrations` like `prisma migrate deploy`. */
export async function applyMigrations(factory: SqlMigrationAwareDriverAdapterFactory): Promise<string[]> {
  const engine = await openEngine(factory);
  try {
    const result = await engine.applyMigrations({ migrationsList: await migrationList(), filters: noFilters });
    return result.appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/** SQL that takes a database migrated with prisma/migrations to the state of schema.prisma ("" when there is no drift). */
export async function diffDatabaseToSchema(factory: SqlMigrationAwareDriverAdapterFactory): Promise<string> {
  const engine = await openEngine(factory);
  try {
    const schema = await readFile(schemaPath, "utf8");
    const result = await engine.diff({
      // "schemaDatasource" is the live database behind the adapter
      from: { tag: "schemaDatasource", files: [{ path: schemaPath, content: schema }], configDir: path.dirname(schemaPath) },
      to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: schema }] },
      script: true,
      shadowDatabaseUrl: null,
      exitCode: null,
      filters: noFilters,
    } as never);
    return (result.stdout ?? "").replace(/^-- This is an empty migration\.\s*$/m, "").trim();
  } finally {
    engine.free();
  }
}
