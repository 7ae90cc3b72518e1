import { afterAll, beforeAll, beforeEach } from "vitest";
import type { Database } from "../../bot/store/database.js";
import { openTestDatabase, resetDatabase } from "./database.js";
import { createHarness, type Harness, type HarnessOptions } from "./harness.js";

/**
 * One database per test file (emptied before each test) and a fresh bot for each test, handed
 * to the file through `use`. Hooks a file adds after this one run after it.
 */
export function botTests(options: HarnessOptions, use: (db: Database, h: Harness) => void): void {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => db.close());
  beforeEach(async () => {
    await resetDatabase(db);
    use(db, await createHarness(db, options));
  });
}
