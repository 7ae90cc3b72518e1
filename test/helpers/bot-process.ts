// The bot as a separate process (node + tsx, as `npm start` runs it), in webhook mode against
// the fake Bot API over HTTP, so a test can kill it at any moment and start it again.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Update } from "grammy/types";
import { DEFAULT_PERSONAS, SANDBOX_TOKEN, startSandbox, type Sandbox } from "../../sandbox/server.js";
import { openTestDatabase, serverUrl } from "./database.js";
import { TOKEN } from "./fake-telegram.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const PROCESS_SECRET = "process-secret-0123456789";

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface BotProcess {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  post(update: Update): Promise<number>;
  health(): Promise<{ status: number; body: any }>;
  /** Waits until /healthz answers 200 (the bot is up and its database reachable). */
  ready(ms?: number): Promise<void>;
  /** Waits until every stored update is handled. */
  idle(ms?: number): Promise<void>;
}

export function spawnBot(env: Record<string, string>, port: number): BotProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "bot/main.ts"], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", BOT_TOKEN: TOKEN, BOT_MODE: "webhook", WEBHOOK_SECRET: PROCESS_SECRET, PORT: String(port), LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const base = `http://127.0.0.1:${port}`;
  const p: BotProcess = {
    child,
    port,
    output: () => out,
    exited,
    async post(update) {
      const r = await fetch(`${base}/telegram`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": PROCESS_SECRET },
        body: JSON.stringify(update),
      });
      return r.status;
    },
    async health() {
      const r = await fetch(`${base}/healthz`);
      return { status: r.status, body: await r.json() };
    },
    async ready(ms = 60_000) {
      const end = Date.now() + ms;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`the bot exited (${child.exitCode}):\n${out}`);
        try {
          if ((await p.health()).status === 200) return;
        } catch {
          /* not listening yet */
        }
        if (Date.now() > end) throw new Error(`the bot did not become ready:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async idle(ms = 30_000) {
      const end = Date.now() + ms;
      while ((await p.health()).body.inbox !== 0) {
        if (Date.now() > end) throw new Error(`updates still waiting:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
  return p;
}

/** A sandbox in this process and the bot as a process polling it, on a database of its own. */
export async function sandboxedBot(dataDir: string): Promise<{ sandbox: Sandbox; bot: BotProcess; env: Record<string, string> }> {
  const sandbox = await startSandbox({ port: 0, dataDir, quiet: true });
  let databaseUrl: string | undefined;
  if (serverUrl) {
    const db = await openTestDatabase({ empty: true });
    databaseUrl = db.url!;
    await db.close();
  }
  const ids = (plays: string) =>
    DEFAULT_PERSONAS.filter((p) => p.plays === plays)
      .map((p) => p.id)
      .join(",");
  const env = {
    BOT_TOKEN: SANDBOX_TOKEN,
    BOT_API_ROOT: sandbox.url,
    BOT_MODE: "polling",
    ADMIN_IDS: ids("admin"),
    STAFF_IDS: ids("staff"),
    DATA_DIR: dataDir,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
  const bot = spawnBot(env, await freePort());
  await bot.ready();
  return { sandbox, bot, env };
}
