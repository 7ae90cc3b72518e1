// A fake Bot API: a transformer answers every call the bot makes and records it, files are
// served from memory, and users are simulated by feeding realistic updates to handleUpdate.
import { createHash } from "node:crypto";
import type { Bot } from "grammy";
import type { Message, Update, UserFromGetMe } from "grammy/types";
import { parseMultipart } from "../../sandbox/multipart.js";

export interface ApiCall {
  method: string;
  payload: Record<string, any>;
  /** the test clock when the call arrived (ms) */
  at: number;
}

export interface FakeFailure {
  error_code: number;
  description: string;
  retry_after?: number;
}

export const TOKEN = "123456:TEST-token-for-the-fake-bot-api-000";
export const API_ROOT = "http://fake-telegram.test";

export const botInfo: UserFromGetMe = {
  id: 123456,
  is_bot: true,
  first_name: "Qanat",
  username: "qanat_test_bot",
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
} as UserFromGetMe;

export class FakeTelegram {
  readonly calls: ApiCall[] = [];
  private messageId = 1000;
  private updateId = 1;
  private readonly files = new Map<string, { bytes: Uint8Array; path: string }>();
  /** getFile refuses like the public Bot API does for files over 20 MB */
  getFileLimit = 20 * 1024 * 1024;
  /** the test clock (the harness points it at its own) */
  now: () => number = () => Date.now();
  /** a test's rule for failing a call (checked before the answer), e.g. 403 for a blocked user */
  fail: ((method: string, payload: Record<string, any>) => FakeFailure | undefined) | undefined;
  /** like Telegram: more than this many messages in one second of the clock get a 429 */
  maxPerSecond: number | undefined;
  private readonly sentTimes: number[] = [];

  /**
   * The network as the bot sees it: Bot API methods at `${API_ROOT}/bot<token>/<method>` and
   * files at `${API_ROOT}/file/bot<token>/<path>`. Faking at this level (rather than with a
   * transformer) also covers the fresh Api instances inside conversations, and records only
   * what really goes out: calls a conversation replays from its log never reach it.
   */
  readonly fetch: typeof fetch = async (input, init) => {
    const url = String(input);
    const filePrefix = `${API_ROOT}/file/bot${TOKEN}/`;
    if (url.startsWith(filePrefix)) {
      const entry = [...this.files.values()].find((f) => url === filePrefix + f.path);
      if (!entry) return new Response("Not Found", { status: 404 });
      return new Response(Buffer.from(entry.bytes), { status: 200 });
    }
    const method = url.slice(`${API_ROOT}/bot${TOKEN}/`.length);
    const body = typeof init?.body === "string" ? JSON.parse(init.body) : init?.body ? await multipart(init) : {};
    const failure = this.fail?.(method, body) ?? this.rateLimited(method);
    if (failure) {
      const { retry_after, ...rest } = failure;
      return Response.json({ ok: false, ...rest, ...(retry_after ? { parameters: { retry_after } } : {}) }, { status: failure.error_code });
    }
    this.calls.push({ method, payload: body, at: this.now() });
    try {
      return Response.json({ ok: true, result: this.answer(method, body) });
    } catch (error) {
      return Response.json({ ok: false, error_code: 400, description: (error as Error).message }, { status: 400 });
    }
  };

  private rateLimited(method: string): FakeFailure | undefined {
    if (!this.maxPerSecond || method !== "sendMessage") return undefined;
    while (this.sentTimes.length && this.sentTimes[0]! <= this.now() - 1000) this.sentTimes.shift();
    if (this.sentTimes.length >= this.maxPerSecond) return { error_code: 429, description: "Too Many Requests: retry after 1", retry_after: 1 };
    this.sentTimes.push(this.now());
    return undefined;
  }

  /** The messages (sendMessage) that reached a chat, in order. */
  messagesTo(chatId: number): ApiCall[] {
    return this.calls.filter((c) => c.method === "sendMessage" && Number(c.payload.chat_id) === chatId);
  }

  private answer(method: string, p: Record<string, any>): unknown {
    switch (method) {
      case "sendMessage":
      case "sendDocument":
      case "sendPhoto":
        return { message_id: ++this.messageId, date: Math.floor(Date.now() / 1000), chat: { id: p.chat_id, type: "private" }, text: p.text };
      case "getFile": {
        const f = this.files.get(p.file_id);
        if (!f) throw new Error("no such file");
        if (f.bytes.byteLength > this.getFileLimit) {
          throw new Error("Bad Request: file is too big");
        }
        return { file_id: p.file_id, file_unique_id: `u${p.file_id}`, file_size: f.bytes.byteLength, file_path: f.path };
      }
      case "getMe":
        return botInfo;
      default:
        return true;
    }
  }

  /** Registers a file as if a user had uploaded it. */
  upload(bytes: Uint8Array): { file_id: string; file_unique_id: string; file_size: number } {
    const sha = createHash("sha256").update(bytes).digest("hex").slice(0, 12);
    const file_id = `F${this.files.size + 1}_${sha}`;
    this.files.set(file_id, { bytes, path: `documents/${file_id}` });
    return { file_id, file_unique_id: `u${file_id}`, file_size: bytes.byteLength };
  }

  nextUpdateId(): number {
    return this.updateId++;
  }

  nextMessageId(): number {
    return ++this.messageId;
  }

  since(index: number): ApiCall[] {
    return this.calls.slice(index);
  }
}

/** What a user sees of a call: its text and its buttons. */
export function buttonsOf(call: ApiCall): Array<{ text: string; data?: string }> {
  const kb = call.payload.reply_markup;
  if (!kb) return [];
  if (kb.inline_keyboard) return kb.inline_keyboard.flat().map((b: any) => ({ text: b.text, data: b.callback_data }));
  if (kb.keyboard) return kb.keyboard.flat().map((b: any) => ({ text: typeof b === "string" ? b : b.text }));
  return [];
}

export class FakeUser {
  readonly chat: { id: number; type: "private"; first_name: string };
  readonly from: { id: number; is_bot: false; first_name: string; language_code?: string };
  constructor(
    private readonly tg: FakeTelegram,
    private readonly getBot: () => Bot<any>,
    readonly id: number,
    languageCode?: string,
    readonly firstName = "Айгүл",
  ) {
    this.from = { id, is_bot: false, first_name: firstName, ...(languageCode ? { language_code: languageCode } : {}) };
    this.chat = { id, type: "private", first_name: firstName };
  }

  /** Where updates go instead of straight into the bot (a webhook, an inbox): set by `via`. */
  private sink: ((update: Update) => Promise<void>) | undefined;

  /** The same user, whose updates go to `sink` (e.g. an instance's webhook) instead of the bot. */
  via(sink: (update: Update) => Promise<void>): FakeUser {
    const clone = Object.create(this) as FakeUser;
    clone.sink = sink;
    return clone;
  }

  private async deliver(update: Omit<Update, "update_id">): Promise<ApiCall[]> {
    const start = this.tg.calls.length;
    const full = { update_id: this.tg.nextUpdateId(), ...update } as Update;
    if (this.sink) await this.sink(full);
    else await this.getBot().handleUpdate(full);
    return this.tg.since(start);
  }

  private message(extra: Partial<Message>): any {
    return { message_id: this.tg.nextMessageId(), date: Math.floor(Date.now() / 1000), chat: this.chat, from: this.from, ...extra } as Message;
  }

  say(text: string): Promise<ApiCall[]> {
    const entities = text.startsWith("/") ? [{ type: "bot_command" as const, offset: 0, length: text.split(" ")[0]!.length }] : undefined;
    return this.deliver({ message: this.message({ text, ...(entities ? { entities } : {}) }) });
  }

  /** Presses an inline button: the callback data is whatever the client sends (forgeable). */
  press(data: string): Promise<ApiCall[]> {
    return this.deliver({
      callback_query: {
        id: `cq${this.tg.nextUpdateId()}`,
        from: this.from,
        chat_instance: "ci",
        data,
        message: this.message({ text: "…", from: botInfo as never }),
      },
    } as never);
  }

  sendDocument(bytes: Uint8Array, fileName: string, mimeType = "application/pdf", declaredSize?: number): Promise<ApiCall[]> {
    const f = this.tg.upload(bytes);
    return this.deliver({ message: this.message({ document: { ...f, file_size: declaredSize ?? f.file_size, file_name: fileName, mime_type: mimeType } }) });
  }

  sendPhoto(bytes: Uint8Array): Promise<ApiCall[]> {
    const f = this.tg.upload(bytes);
    return this.deliver({ message: this.message({ photo: [{ ...f, width: 90, height: 120 }] }) });
  }

  /** Forwards a message written by another user (as Telegram shows a forward). */
  forward(fromId: number, firstName: string): Promise<ApiCall[]> {
    return this.deliver({
      message: this.message({
        text: "…",
        forward_origin: { type: "user", date: 1, sender_user: { id: fromId, is_bot: false, first_name: firstName } },
      } as never),
    });
  }

  shareContact(phone: string, userId = this.id): Promise<ApiCall[]> {
    return this.deliver({ message: this.message({ contact: { phone_number: phone, first_name: this.firstName, user_id: userId } }) });
  }
}

/** Texts the user got, in order. */
export const texts = (calls: ApiCall[]) =>
  calls.filter((c) => typeof c.payload.text === "string" && c.method !== "answerCallbackQuery").map((c) => c.payload.text as string);
export const lastMessage = (calls: ApiCall[]) => [...calls].reverse().find((c) => c.method === "sendMessage");
export const allButtons = (calls: ApiCall[]) => calls.flatMap(buttonsOf);
/** The callback data of the button whose text contains `label`, as a client would send it. */
export function button(calls: ApiCall[], label: string): string {
  const b = allButtons(calls).find((x) => x.text.includes(label) && x.data);
  if (!b)
    throw new Error(
      `no button "${label}" in: ${allButtons(calls)
        .map((x) => x.text)
        .join(" | ")}`,
    );
  return b.data!;
}

/** grammY streams uploads as a Node Readable: collected, then parsed. */
async function multipart(init: RequestInit): Promise<Record<string, any>> {
  const chunks: Buffer[] = [];
  for await (const chunk of init.body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(chunk));
  return parseMultipart(Buffer.concat(chunks), String((init.headers as Record<string, string>)["content-type"] ?? ""));
}
