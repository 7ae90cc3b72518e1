// One figure in its own process: the memory of the bot with 10,000 stored conversations in
// progress (npm run bench starts it once per database).
import { VALID_BIN } from "../test/helpers/samples.js";
import { createHarness } from "../test/helpers/harness.js";
import { freshDatabase, line } from "./run.js";

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 10_000);

/** Memory of a process whose database holds 10,000 conversations in progress, after resuming a sample of them. */
async function memory(kind: "pglite" | "postgresql") {
  const db = await freshDatabase(kind);
  const h = await createHarness(db, { now: new Date("2026-03-05T10:00:00+05:00") });
  const first = h.user(2_000_000, "ru");
  for (const step of [
    () => first.say("/start"),
    () => first.press("l:ru"),
    () => first.press("m:new"),
    () => first.press("a:svc:aoc"),
    () => first.press("a:var:issuance"),
    () => first.press("a:go"),
  ])
    await step();
  // The same state for 10,000 applicants (each key its own chat), in the database as the bot keeps it.
  await db.prisma.$executeRawUnsafe(
    `INSERT INTO "User" ("id", "language", "role", "blockedBot", "createdAt", "updatedAt") SELECT 2000000 + g, 'ru', 'applicant', false, now(), now() FROM generate_series(1, ${CONVERSATIONS - 1}) g`,
  );
  await db.prisma.$executeRawUnsafe(
    `INSERT INTO "Draft" ("userId", "serviceId", "variant", "applicantType", "phase", "itemIndex", "active", "skippedItems", "reachedReview", "emailAsked", "createdAt", "updatedAt") SELECT 2000000 + g, 'aoc', 'issuance', 'legal', 'details', 0, true, '{}', false, false, now(), now() FROM generate_series(1, ${CONVERSATIONS - 1}) g`,
  );
  await db.prisma.$executeRawUnsafe(
    `INSERT INTO "ConversationState" ("key", "value", "updatedAt") SELECT 'conv:' || (2000000 + g), "value", now() FROM "ConversationState", generate_series(1, ${CONVERSATIONS - 1}) g WHERE "key" = 'conv:2000000'`,
  );
  const stored = await db.prisma.conversationState.count();
  const sample = Math.min(1000, CONVERSATIONS - 1);
  const step = Math.max(1, Math.floor((CONVERSATIONS - 1) / sample));
  for (let i = 1; i <= sample; i++) await h.user(2_000_000 + i * step, "ru").say(VALID_BIN);
  global.gc?.();
  const rss = process.memoryUsage().rss / 1024 / 1024;
  const heap = process.memoryUsage().heapUsed / 1024 / 1024;
  line(
    `memory, ${stored} conversations in progress (${kind}${kind === "pglite" ? ", the database in this process" : ""})`,
    `rss ${rss.toFixed(0)} MB, heap ${heap.toFixed(0)} MB (${sample} resumed)`,
  );
  await db.close();
}

await memory(process.argv[2] === "postgresql" ? "postgresql" : "pglite");
process.exit(0);
