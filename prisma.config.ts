import { defineConfig } from "prisma/config";

// The CLI is only used for `generate`: migrations run through the WASM schema engine
// (prisma/migrate.ts), so no native engine is ever downloaded.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
