// The HTTP side: Telegram's webhook (secret checked, update stored, 200 at once: the handling
// runs in the background from the inbox) and GET /healthz for the load balancer, in both modes.
import { timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { Update } from "grammy/types";
import { brief, type Logger } from "../logger.js";
import type { Database } from "../store/database.js";
import type { UpdateInbox } from "./inbox.js";

export const WEBHOOK_PATH = "/telegram";
const MAX_BODY = 1024 * 1024;

export interface ServerOptions {
  port: number;
  host?: string;
  database: Database;
  inbox: UpdateInbox;
  logger: Logger;
  /** the webhook's secret token; without one, the webhook path is not served (polling mode) */
  secret?: string;
  /** what the bot is, for /healthz */
  describe: () => Record<string, unknown>;
}

const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export async function startServer(o: ServerOptions): Promise<http.Server & { port: number }> {
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const url = req.url?.split("?")[0];
    if (req.method === "GET" && url === "/healthz") {
      void health(o).then((h) => send(h.ok ? 200 : 503, h));
      return;
    }
    if (url !== WEBHOOK_PATH || !o.secret) return send(404, { error: "not found" });
    if (req.method !== "POST") return send(405, { error: "method not allowed" });
    const given = req.headers["x-telegram-bot-api-secret-token"];
    if (typeof given !== "string" || !sameSecret(given, o.secret)) {
      o.logger.warn({ ip: req.socket.remoteAddress }, "webhook call with a wrong secret");
      req.resume();
      return send(401, { error: "unauthorized" });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) tooLarge = true;
      else chunks.push(c);
    });
    req.on("end", () => {
      if (tooLarge) return send(413, { error: "update too large" });
      let update: Update;
      try {
        update = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return send(400, { error: "not JSON" });
      }
      if (typeof update !== "object" || update === null || !Number.isSafeInteger(update.update_id)) return send(400, { error: "not an update" });
      o.inbox.accept([update]).then(
        () => send(200, { ok: true }),
        (error) => {
          // Not stored, so not acknowledged: Telegram delivers it again later.
          o.logger.error({ updateId: update.update_id, err: brief(error) }, "update not stored");
          send(503, { error: "try again" });
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host ?? "0.0.0.0", () => resolve());
  });
  const address = server.address();
  return Object.assign(server, { port: typeof address === "object" && address ? address.port : o.port });
}

async function health(o: ServerOptions): Promise<{ ok: boolean; database: string; inbox?: number; bot: Record<string, unknown> }> {
  try {
    const inbox = await Promise.race([
      o.inbox.pending(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("database did not answer within 2 s")), 2000)),
    ]);
    return { ok: true, database: "ok", inbox, bot: o.describe() };
  } catch (error) {
    return { ok: false, database: `unavailable: ${brief(error)}`, bot: o.describe() };
  }
}
