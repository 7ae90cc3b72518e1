// The fake Bot API over HTTP, for a bot running as a separate process (BOT_API_ROOT).
import http from "node:http";
import { API_ROOT, FakeTelegram } from "./fake-telegram.js";

export interface TelegramServer {
  tg: FakeTelegram;
  url: string;
  close(): Promise<void>;
}

export async function startTelegramServer(tg = new FakeTelegram(), options: { delayMs?: number } = {}): Promise<TelegramServer> {
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const type = String(req.headers["content-type"] ?? "");
    if (options.delayMs && req.url?.includes("/sendMessage")) await new Promise((r) => setTimeout(r, options.delayMs));
    const response = await tg.fetch(`${API_ROOT}${req.url}`, {
      method: req.method ?? "GET",
      headers: { "content-type": type },
      ...(body.length ? { body: type.startsWith("multipart/") ? ([body] as never) : body.toString("utf8") } : {}),
    });
    res.writeHead(response.status, { "content-type": response.headers.get("content-type") ?? "application/json" });
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const address = server.address() as { port: number };
  return {
    tg,
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
