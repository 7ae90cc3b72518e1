// npm run bench: update handling (whole applications by concurrent applicants, through the
// update inbox), a broadcast to 10,000 against a fake API that enforces 30 messages/s with
// 429s, and the memory with 10,000 stored conversations in progress. One line per figure; the
// run fails if a broadcast recipient is lost or served twice.
import { spawn } from "node:child_process";
import os from "node:os";
import type { Update } from "grammy/types";
import pino from "pino";
import { openDatabase, type Database } from "../bot/store/database.js";
import { UpdateInbox } from "../bot/updates/inbox.js";
import { databaseUrl, onServer } from "../test/helpers/database.js";
import { createHarness, type Harness } from "../test/helpers/harness.js";
import { VALID_BIN, pdf } from "../test/helpers/samples.js";
import { FakeUser } from "../test/helpers/fake-telegram.js";

const APPLICANTS = Number(process.env.BENCH_APPLICANTS ?? 60);
const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 10_000);
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 10_000);
let failed = false;
export const line = (figure: string, value: string) => console.log(`${figure.padEnd(58)} ${value}`);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export async function freshDatabase(kind: "pglite" | "postgresql"): Promise<Database> {
  if (kind === "pglite") return openDatabase({ pgliteDir: "memory://" });
  const name = `qanat_bench_${Date.now()}`;
  await onServer((admin) => admin.prisma.$executeRawUnsafe(`CREATE DATABASE "${name}"`));
  return openDatabase({ databaseUrl: databaseUrl(name) });
}

/** Whole applications (AOC duplicate: details, two documents, submit) by concurrent applicants, through the inbox. */
async function updateHandling(kind: "pglite" | "postgresql") {
  const db = await freshDatabase(kind);
  const h = await createHarness(db, { now: new Date("2026-03-05T10:00:00+05:00") });
  const received = new Map<number, number>();
  const answered = new Map<number, () => void>();
  const latencies: number[] = [];
  const inbox = new UpdateInbox({
    db: db.prisma,
    logger: pino({ level: "silent" }),
    now: () => h.clock.now,
    workers: 8,
    idleMs: 200,
    handle: async (u) => {
      await h.bot.handleUpdate(u);
      latencies.push(performance.now() - received.get(u.update_id)!);
      answered.get(u.update_id)?.();
    },
  });
  inbox.start();
  // A person waits for the answer before the next tap.
  const send = async (u: Update) => {
    const done = new Promise<void>((resolve) => answered.set(u.update_id, resolve));
    received.set(u.update_id, performance.now());
    await inbox.accept([u]);
    await done;
  };
  const applicant = async (u: FakeUser) => {
    const v = u.via(send);
    const steps = [
      () => v.say("/start"),
      () => v.press("l:ru"),
      () => v.press("m:new"),
      () => v.press("a:svc:aoc"),
      () => v.press("a:var:duplicate"),
      () => v.press("a:go"),
      () => v.say(VALID_BIN),
      () => v.say(`АО Бенч ${u.id}`),
      () => v.shareContact("77010000000"),
      () => v.press("a:skip"),
      () => v.sendDocument(pdf(`app ${u.id}`), "app.pdf"),
      () => v.sendDocument(pdf(`pay ${u.id}`), "pay.pdf"),
      () => v.press("a:skip"),
      () => v.press("a:submit"),
    ];
    for (const step of steps) await step();
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: APPLICANTS }, (_, i) => applicant(h.user(100_000 + i, "ru"))));
  const seconds = (performance.now() - started) / 1000;
  await inbox.stop();
  const cases = await db.prisma.case.count();
  const sorted = [...latencies].sort((a, b) => a - b);
  line(`updates/s (${kind}, ${APPLICANTS} applicants at once, 8 workers)`, (latencies.length / seconds).toFixed(0));
  line(`update latency p50 / p95 / p99 (${kind})`, `${pct(sorted, 50).toFixed(1)} / ${pct(sorted, 95).toFixed(1)} / ${pct(sorted, 99).toFixed(1)} ms`);
  line(`applications submitted (${kind})`, `${cases} of ${APPLICANTS}, ${latencies.length} updates in ${seconds.toFixed(1)} s`);
  if (cases !== APPLICANTS) failed = true;
  await db.close();
}

/** 10,000 recipients; the fake API allows 30 messages a second and answers 429 beyond. The sender runs on a simulated clock. */
async function broadcast() {
  const db = await openDatabase({ pgliteDir: "memory://" });
  const h: Harness = await createHarness(db, { now: new Date("2026-03-05T10:00:00+05:00"), adminIds: [900] });
  await db.prisma.user.createMany({ data: Array.from({ length: RECIPIENTS }, (_, i) => ({ id: BigInt(1_000_000 + i), language: i % 2 ? "ru" : "kk" })) });
  h.tg.maxPerSecond = 30;
  const b = await h.deps.broadcasts.create({
    createdBy: 900,
    audience: "all",
    textKk: "Хабарлама",
    textRu: "Сообщение",
    progressChatId: 900,
    now: h.clock.now,
  });
  const t0 = h.clock.now.getTime();
  const wall = performance.now();
  const before = h.tg.calls.length;
  await h.drain();
  const simulated = (h.clock.now.getTime() - t0) / 1000;
  const counts = new Map<number, number>();
  for (const c of h.tg.calls.slice(before))
    if (c.method === "sendMessage" && c.payload.text !== undefined && Number(c.payload.chat_id) >= 1_000_000)
      counts.set(Number(c.payload.chat_id), (counts.get(Number(c.payload.chat_id)) ?? 0) + 1);
  const lost = RECIPIENTS - counts.size;
  const twice = [...counts.values()].filter((n) => n > 1).length;
  const refused = await db.prisma.outbox.aggregate({ _sum: { attempts: true }, where: { broadcastId: b.id } }).then((r) => (r._sum.attempts ?? 0) - RECIPIENTS);
  line(
    `broadcast to ${RECIPIENTS}: simulated time / the limit's minimum`,
    `${simulated.toFixed(0)} s / ${(RECIPIENTS / 30).toFixed(0)} s (${((RECIPIENTS / 30 / simulated) * 100).toFixed(0)}% of the limit)`,
  );
  line(`broadcast: lost / served twice / 429 answers retried`, `${lost} / ${twice} / ${Math.max(0, refused)}`);
  line(`broadcast: wall time to run it (database and sender work)`, `${((performance.now() - wall) / 1000).toFixed(1)} s`);
  if (lost || twice) failed = true;
  await db.close();
}

/** Memory is measured in a fresh process each time (bench/memory.ts), so that nothing above counts. */
function memory(kind: "pglite" | "postgresql"): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", "bench/memory.ts", kind], {
      stdio: ["ignore", "inherit", "inherit"],
      env: process.env,
    });
    child.on("exit", (code) => {
      if (code !== 0) failed = true;
      resolve();
    });
  });
}

if (process.argv[1]?.endsWith("run.ts")) await main();

async function main() {
  console.log(`qanat bench · node ${process.version} · ${os.cpus().length} × ${os.cpus()[0]?.model.trim()} · ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`);
  await updateHandling("pglite");
  if (process.env.TEST_DATABASE_URL) await updateHandling("postgresql");
  else line("update handling (postgresql)", "skipped: no PostgreSQL server (run through scripts/with-postgres.sh)");
  await broadcast();
  await memory("pglite");
  if (process.env.TEST_DATABASE_URL) await memory("postgresql");
  if (failed) {
    console.log("FAILED: a recipient was lost or served twice, or an application was not submitted");
    process.exit(1);
  }
}
