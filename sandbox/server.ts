// The sandbox: a local server that speaks the Telegram Bot API to the unchanged bot (through
// BOT_API_ROOT) and serves a web chat where a person plays the applicants, a staff member and
// an admin. Chats and files live in DATA_DIR/sandbox, so a restarted sandbox shows its history.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { parseMultipart } from "./multipart.js";

export const SANDBOX_TOKEN = "7000000001:SANDBOX-qanat-local-token-0000000000";
const BOT = {
  id: 7000000001,
  is_bot: true,
  first_name: "Qanat",
  username: "qanat_sandbox_bot",
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
};
const DOWNLOAD_LIMIT = 20 * 1024 * 1024;
const webDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "web");

export interface Persona {
  id: number;
  firstName: string;
  languageCode: "kk" | "ru";
  /** what the person plays; the bot decides the real role */
  plays: "applicant" | "staff" | "admin";
  phone: string;
}

export interface SandboxMessage {
  id: number;
  from: "user" | "bot";
  date: number;
  text?: string;
  html?: boolean;
  replyMarkup?: any;
  document?: { fileId: string; name: string; size: number };
  photo?: { fileId: string };
  caption?: string;
  contact?: { phone: string };
  edited?: boolean;
}

interface StoredFile {
  id: string;
  uniqueId: string;
  name: string;
  mime: string;
  size: number;
  /** below the sandbox's files directory */
  path: string;
}

interface State {
  personas: Persona[];
  chats: Record<string, { nextId: number; messages: SandboxMessage[] }>;
  files: Record<string, StoredFile>;
  commands: Record<string, Array<{ command: string; description: string }>>;
  nextUpdateId: number;
}

export const DEFAULT_PERSONAS: Persona[] = [
  { id: 10001, firstName: "Айгүл", languageCode: "kk", plays: "applicant", phone: "+77011110001" },
  { id: 10002, firstName: "Иван", languageCode: "ru", plays: "applicant", phone: "+77011110002" },
  { id: 20001, firstName: "Ерлан (staff)", languageCode: "ru", plays: "staff", phone: "+77012220001" },
  { id: 30001, firstName: "Admin", languageCode: "ru", plays: "admin", phone: "+77013330001" },
];

export interface Sandbox {
  url: string;
  port: number;
  state: State;
  close(): Promise<void>;
  /** what the sandbox logged (unknown methods and the like) */
  log: string[];
}

export async function startSandbox(options: { port: number; dataDir: string; host?: string; quiet?: boolean }): Promise<Sandbox> {
  const dir = path.join(options.dataDir, "sandbox");
  const filesDir = path.join(dir, "files");
  await mkdir(filesDir, { recursive: true });
  const stateFile = path.join(dir, "state.json");
  const state: State = existsSync(stateFile)
    ? JSON.parse(readFileSync(stateFile, "utf8"))
    : { personas: DEFAULT_PERSONAS, chats: {}, files: {}, commands: {}, nextUpdateId: 1 };
  const queue: any[] = [];
  let waiters: Array<() => void> = [];
  const clients = new Set<http.ServerResponse>();
  const log: string[] = [];
  const logger = pino({ base: { app: "qanat-sandbox" }, level: options.quiet ? "silent" : "info" });
  const say = (line: string) => {
    log.push(line);
    logger.warn(line);
  };

  let saving: Promise<void> = Promise.resolve();
  const save = () => {
    saving = saving.then(async () => {
      await writeFile(`${stateFile}.tmp`, JSON.stringify(state));
      await rename(`${stateFile}.tmp`, stateFile);
    });
  };
  const emit = (event: Record<string, unknown>) => {
    for (const c of clients) c.write(`data: ${JSON.stringify(event)}\n\n`);
  };
  const chatOf = (id: number) => (state.chats[String(id)] ??= { nextId: 1, messages: [] });
  const persona = (id: number) => state.personas.find((p) => p.id === id);
  const now = () => Math.floor(Date.now() / 1000);

  const userOf = (p: Persona) => ({ id: p.id, is_bot: false, first_name: p.firstName, language_code: p.languageCode });
  const privateChat = (p: Persona) => ({ id: p.id, type: "private", first_name: p.firstName });

  function push(update: Record<string, unknown>) {
    queue.push({ update_id: state.nextUpdateId++, ...update });
    save();
    for (const w of waiters.splice(0)) w();
  }

  function addMessage(chatId: number, m: Omit<SandboxMessage, "id" | "date">): SandboxMessage {
    const chat = chatOf(chatId);
    const message = { id: chat.nextId++, date: now(), ...m } as SandboxMessage;
    chat.messages.push(message);
    save();
    emit({ type: "chat", chatId });
    return message;
  }

  async function storeFile(bytes: Uint8Array, name: string, mime: string): Promise<StoredFile> {
    const sha = createHash("sha256").update(bytes).digest("hex");
    const id = `SBX${sha.slice(0, 24)}${randomUUID().slice(0, 8)}`;
    const rel = `${sha.slice(0, 2)}/${sha}`;
    await mkdir(path.join(filesDir, sha.slice(0, 2)), { recursive: true });
    await writeFile(path.join(filesDir, rel), bytes);
    const f = { id, uniqueId: `U${sha.slice(0, 16)}`, name, mime, size: bytes.byteLength, path: rel };
    state.files[id] = f;
    save();
    return f;
  }

  /** A message as the Bot API returns it. */
  function apiMessage(chatId: number, m: SandboxMessage) {
    const p = persona(chatId);
    return {
      message_id: m.id,
      date: m.date,
      chat: p ? privateChat(p) : { id: chatId, type: "private" },
      from: BOT,
      ...(m.text !== undefined ? { text: m.text } : {}),
      ...(m.caption ? { caption: m.caption } : {}),
      ...(m.replyMarkup?.inline_keyboard ? { reply_markup: m.replyMarkup } : {}),
      ...(m.document
        ? {
            document: {
              file_id: m.document.fileId,
              file_unique_id: state.files[m.document.fileId]?.uniqueId,
              file_name: m.document.name,
              file_size: m.document.size,
            },
          }
        : {}),
      ...(m.photo ? { photo: [{ file_id: m.photo.fileId, file_unique_id: state.files[m.photo.fileId]?.uniqueId, width: 800, height: 600 }] } : {}),
    };
  }

  const scopeKey = (scope: any, lang?: string) => `${scope?.type === "chat" ? `chat:${scope.chat_id}` : "default"}|${lang ?? ""}`;

  /** Telegram's order: the chat's scope in the user's language, the chat's, then the defaults. */
  function commandsFor(p: Persona) {
    for (const key of [`chat:${p.id}|${p.languageCode}`, `chat:${p.id}|`, `default|${p.languageCode}`, "default|"])
      if (state.commands[key]) return state.commands[key];
    return [];
  }

  class ApiError extends Error {
    constructor(
      readonly code: number,
      message: string,
    ) {
      super(message);
    }
  }

  async function fileParam(value: any, fallbackName: string, mime: string): Promise<StoredFile> {
    if (typeof value === "string") {
      const f = state.files[value];
      if (!f) throw new ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified");
      return f;
    }
    if (value?.bytes) return storeFile(value.bytes, value.name || fallbackName, mime);
    throw new ApiError(400, "Bad Request: there is no file in the request");
  }

  async function callMethod(method: string, p: Record<string, any>): Promise<unknown> {
    const target = () => {
      const id = Number(p.chat_id);
      if (!persona(id)) throw new ApiError(400, "Bad Request: chat not found");
      return id;
    };
    switch (method) {
      case "getMe":
        return BOT;
      case "deleteWebhook":
      case "setWebhook":
        return true;
      case "getUpdates": {
        const offset = Number(p.offset ?? 0);
        while (queue.length && queue[0].update_id < offset) queue.shift();
        if (!queue.length && Number(p.timeout ?? 0) > 0) {
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, Math.min(Number(p.timeout), 50) * 1000);
            waiters.push(() => {
              clearTimeout(t);
              resolve();
            });
          });
        }
        return queue.filter((u) => u.update_id >= offset).slice(0, Number(p.limit ?? 100));
      }
      case "setMyCommands":
        state.commands[scopeKey(p.scope, p.language_code)] = p.commands ?? [];
        save();
        emit({ type: "commands" });
        return true;
      case "deleteMyCommands":
        delete state.commands[scopeKey(p.scope, p.language_code)];
        save();
        emit({ type: "commands" });
        return true;
      case "getMyCommands":
        return state.commands[scopeKey(p.scope, p.language_code)] ?? [];
      case "sendMessage": {
        const id = target();
        if (typeof p.text !== "string" || !p.text.trim()) throw new ApiError(400, "Bad Request: message text is empty");
        return apiMessage(id, addMessage(id, { from: "bot", text: p.text, html: p.parse_mode === "HTML", replyMarkup: p.reply_markup }));
      }
      case "sendDocument":
      case "sendPhoto": {
        const id = target();
        const photo = method === "sendPhoto";
        const f = await fileParam(photo ? p.photo : p.document, photo ? "photo.png" : "document", photo ? "image/png" : "application/octet-stream");
        const m = addMessage(id, {
          from: "bot",
          ...(photo ? { photo: { fileId: f.id } } : { document: { fileId: f.id, name: f.name, size: f.size } }),
          ...(p.caption ? { caption: String(p.caption), html: p.parse_mode === "HTML" } : {}),
          replyMarkup: p.reply_markup,
        });
        return apiMessage(id, m);
      }
      case "editMessageText":
      case "editMessageReplyMarkup": {
        const id = target();
        const m = chatOf(id).messages.find((x) => x.id === Number(p.message_id) && x.from === "bot");
        if (!m) throw new ApiError(400, "Bad Request: message to edit not found");
        if (method === "editMessageText") {
          if (m.text === p.text && JSON.stringify(m.replyMarkup ?? null) === JSON.stringify(p.reply_markup ?? null))
            throw new ApiError(400, "Bad Request: message is not modified");
          m.text = p.text;
          m.html = p.parse_mode === "HTML";
        }
        m.replyMarkup = p.reply_markup;
        m.edited = true;
        save();
        emit({ type: "chat", chatId: id });
        return apiMessage(id, m);
      }
      case "answerCallbackQuery": {
        const [, chatId] = String(p.callback_query_id).split(":");
        if (p.text) emit({ type: "toast", chatId: Number(chatId), text: p.text });
        return true;
      }
      case "getFile": {
        const f = state.files[p.file_id];
        if (!f) throw new ApiError(400, "Bad Request: invalid file_id");
        if (f.size > DOWNLOAD_LIMIT) throw new ApiError(400, "Bad Request: file is too big");
        return { file_id: f.id, file_unique_id: f.uniqueId, file_size: f.size, file_path: `documents/${f.id}` };
      }
      default:
        say(`unknown Bot API method ${method}: answered 404 like Telegram`);
        throw new ApiError(404, "Not Found: method not found");
    }
  }

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(body));
  };

  async function readBody(req: http.IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  async function botApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    if (!m || m[1] !== SANDBOX_TOKEN) return json(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
    const body = await readBody(req);
    const type = String(req.headers["content-type"] ?? "");
    let params: Record<string, any> = Object.fromEntries(url.searchParams);
    if (type.startsWith("application/json") && body.length) params = { ...params, ...JSON.parse(body.toString("utf8")) };
    else if (type.startsWith("multipart/")) params = { ...params, ...parseMultipart(body, type) };
    try {
      json(res, 200, { ok: true, result: await callMethod(m[2]!, params) });
    } catch (error) {
      const code = error instanceof ApiError ? error.code : 500;
      if (!(error instanceof ApiError)) say(`error in ${m[2]}: ${String(error)}`);
      json(res, code, { ok: false, error_code: code, description: (error as Error).message });
    }
  }

  async function ui(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const parts = url.pathname.split("/").filter(Boolean);
    if (url.pathname === "/api/events") {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
      res.write(": connected\n\n");
      clients.add(res);
      req.on("close", () => clients.delete(res));
      return;
    }
    if (url.pathname === "/api/personas" && req.method === "GET") return json(res, 200, state.personas);
    if (url.pathname === "/api/personas" && req.method === "POST") {
      const b = JSON.parse((await readBody(req)).toString("utf8") || "{}");
      const id = Math.max(...state.personas.map((p) => p.id).filter((x) => x < 20000)) + 1;
      const p: Persona = {
        id,
        firstName: String(b.firstName || `Applicant ${id}`).slice(0, 40),
        languageCode: b.languageCode === "kk" ? "kk" : "ru",
        plays: "applicant",
        phone: `+7701${String(id).padStart(7, "0")}`,
      };
      state.personas.push(p);
      save();
      emit({ type: "personas" });
      return json(res, 200, p);
    }
    if (parts[0] === "api" && parts[1] === "chat" && parts[2]) {
      const p = persona(Number(parts[2]));
      if (!p) return json(res, 404, { error: "no such persona" });
      const chat = chatOf(p.id);
      if (req.method === "GET") return json(res, 200, { persona: p, messages: chat.messages, commands: commandsFor(p) });
      const body = (await readBody(req)).toString("utf8");
      const b = body ? JSON.parse(body) : {};
      const base = { date: now(), chat: privateChat(p), from: userOf(p) };
      switch (parts[3]) {
        case "text": {
          const text = String(b.text ?? "").slice(0, 4096);
          if (!text.trim()) return json(res, 400, { error: "empty" });
          const m = addMessage(p.id, { from: "user", text });
          const command = /^\/\w+/.exec(text);
          push({
            message: { ...base, message_id: m.id, text, ...(command ? { entities: [{ type: "bot_command", offset: 0, length: command[0].length }] } : {}) },
          });
          return json(res, 200, { ok: true });
        }
        case "press": {
          const m = chat.messages.find((x) => x.id === Number(b.messageId));
          if (!m) return json(res, 404, { error: "no such message" });
          push({
            callback_query: {
              id: `${randomUUID().slice(0, 8)}:${p.id}`,
              from: userOf(p),
              chat_instance: `ci${p.id}`,
              data: String(b.data),
              message: apiMessage(p.id, m),
            },
          });
          return json(res, 200, { ok: true });
        }
        case "contact": {
          const m = addMessage(p.id, { from: "user", contact: { phone: p.phone } });
          push({ message: { ...base, message_id: m.id, contact: { phone_number: p.phone.replace("+", ""), first_name: p.firstName, user_id: p.id } } });
          return json(res, 200, { ok: true });
        }
        case "file": {
          const bytes = Buffer.from(String(b.base64 ?? ""), "base64");
          const name = String(b.name || "file").slice(0, 120);
          const f = await storeFile(bytes, name, String(b.mime || "application/octet-stream"));
          const asPhoto = Boolean(b.asPhoto) && /^image\//.test(f.mime);
          const m = addMessage(p.id, { from: "user", ...(asPhoto ? { photo: { fileId: f.id } } : { document: { fileId: f.id, name: f.name, size: f.size } }) });
          push({
            message: {
              ...base,
              message_id: m.id,
              ...(asPhoto
                ? { photo: [{ file_id: f.id, file_unique_id: f.uniqueId, width: 800, height: 600, file_size: f.size }] }
                : { document: { file_id: f.id, file_unique_id: f.uniqueId, file_name: f.name, mime_type: f.mime, file_size: f.size } }),
            },
          });
          return json(res, 200, { ok: true });
        }
      }
      return json(res, 404, { error: "unknown action" });
    }
    if (parts[0] === "files" && parts[1]) {
      const f = state.files[parts[1]];
      if (!f) return json(res, 404, { error: "no such file" });
      res.writeHead(200, { "content-type": f.mime, "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(f.name)}` });
      return res.end(await readFile(path.join(filesDir, f.path)));
    }
    if (url.pathname === "/" || url.pathname === "/index.html") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return res.end(await readFile(path.join(webDir, "index.html")));
    }
    return json(res, 404, { error: "not found" });
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://sandbox");
    const handler = url.pathname.startsWith("/bot")
      ? botApi(req, res, url)
      : url.pathname.startsWith("/file/bot")
        ? (async () => {
            const id = url.pathname.split("/").pop()!;
            const f = state.files[id];
            if (!f || !url.pathname.startsWith(`/file/bot${SANDBOX_TOKEN}/`)) return json(res, 404, { ok: false, error_code: 404, description: "Not Found" });
            res.writeHead(200, { "content-type": "application/octet-stream" });
            res.end(await readFile(path.join(filesDir, f.path)));
          })()
        : ui(req, res, url);
    handler.catch((error) => {
      say(`request failed: ${String(error)}`);
      if (!res.headersSent) json(res, 500, { error: "internal" });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    state,
    log,
    async close() {
      for (const c of clients) c.end();
      for (const w of waiters.splice(0)) w();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await saving;
    },
  };
}
