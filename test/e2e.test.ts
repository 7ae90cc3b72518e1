// End to end: the bot as a separate process, polling the sandbox's Bot API over HTTP; people
// act through the sandbox's web chat API. A whole application, a staff action, the notice.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_TOKEN, startSandbox, type Sandbox } from "../sandbox/server.js";
import { freePort, sandboxedBot, spawnBot, type BotProcess } from "./helpers/bot-process.js";
import { SandboxClient } from "./helpers/sandbox-client.js";
import { VALID_BIN, pdf } from "./helpers/samples.js";
import { dayKeyOf } from "../flows/calendar/kz-time.js";

/** The process runs on the real clock: numbers carry this year (in Kazakhstan). */
const YEAR = dayKeyOf(new Date()).slice(0, 4);

let dataDir: string;
let sandbox: Sandbox;
let bot: BotProcess;
let env: Record<string, string>;
const APPLICANT = 10002;
const STAFF = 20001;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "qanat-e2e-"));
  ({ sandbox, bot, env } = await sandboxedBot(dataDir));
}, 90_000);
afterAll(async () => {
  bot?.child.kill("SIGTERM");
  await bot?.exited;
  await sandbox?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("the bot as a process against the sandbox", () => {
  it("an application from /start to its number, a staff action, and the applicant's notice", async () => {
    const chat = new SandboxClient(sandbox.url);
    await chat.say(APPLICANT, "/start");
    await chat.press(APPLICANT, "Русский");
    await chat.press(APPLICANT, "Новая заявка");
    await chat.press(APPLICANT, "Сертификат эксплуатанта");
    await chat.press(APPLICANT, "Дубликат");
    await chat.waitFor(APPLICANT, "Понадобятся документы");
    await chat.press(APPLICANT, "Начать");
    await chat.waitFor(APPLICANT, "БИН");
    await chat.say(APPLICANT, VALID_BIN);
    await chat.waitFor(APPLICANT, "наименование");
    await chat.say(APPLICANT, "АО «Песочница»");
    await chat.waitFor(APPLICANT, "телефон");
    await chat.contact(APPLICANT);
    await chat.waitFor(APPLICANT, "Пропустить");
    await chat.press(APPLICANT, "Пропустить");
    await chat.waitFor(APPLICANT, "Документ 1 / 3");
    await chat.file(APPLICANT, "заявление.pdf", pdf("application"));
    await chat.waitFor(APPLICANT, "Документ 2 / 3");
    await chat.file(APPLICANT, "оплата.pdf", pdf("payment"));
    await chat.waitFor(APPLICANT, "Документ 3 / 3");
    await chat.press(APPLICANT, "Пропустить");
    await chat.press(APPLICANT, "Подать заявку");
    const done = await chat.waitFor(APPLICANT, "Регистрационный номер");
    expect(done.text).toContain(`<b>AOC-${YEAR}-000001</b>`);

    // The staff member (STAFF_IDS) has the staff menu in their chat only, and is told of the case.
    expect(await chat.commands(STAFF)).toEqual(["start", "help", "language", "cancel", "queue", "case", "broadcast"]);
    expect(await chat.commands(APPLICANT)).toEqual(["start", "help", "language", "cancel"]);
    await chat.waitFor(STAFF, `AOC-${YEAR}-000001`);
    const before = await chat.count(APPLICANT);
    await chat.press(STAFF, `AOC-${YEAR}-000001`);
    await chat.waitFor(STAFF, "Заявитель: АО «Песочница»");
    await chat.press(STAFF, "Принять в работу");
    await chat.waitFor(STAFF, "этап «на рассмотрении");
    const notice = await chat.waitFor(APPLICANT, "принята в работу", before);
    expect(notice.text).toContain(`📌 <b>Заявка AOC-${YEAR}-000001</b>`);
    expect(notice.replyMarkup.inline_keyboard.flat().map((b: { text: string }) => b.text)).toEqual(["📂 Открыть заявку"]);

    // The staff member gets the documents as files, downloadable from the sandbox.
    const count = await chat.count(STAFF);
    await chat.press(STAFF, "Документы");
    await chat.waitFor(STAFF, `AOC-${YEAR}-000001 · Заявление`, count);
    const doc = (await chat.messages(STAFF)).find((m) => m.document?.name === "заявление.pdf")!;
    const file = await fetch(`${sandbox.url}/files/${doc.document!.fileId}`);
    expect(Buffer.from(await file.arrayBuffer())).toEqual(Buffer.from(pdf("application")));
  }, 120_000);

  it("answers a Bot API method it does not know like Telegram, logs it, and keeps its chats over a restart", async () => {
    const r = await fetch(`${sandbox.url}/bot${SANDBOX_TOKEN}/sendDice`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ ok: false, error_code: 404, description: "Not Found: method not found" });
    expect(sandbox.log).toContain("unknown Bot API method sendDice: answered 404 like Telegram");
    const big = new Uint8Array(21 * 1024 * 1024);
    const chat = new SandboxClient(sandbox.url);
    const sent = await chat.count(APPLICANT);
    await chat.file(APPLICANT, "big.pdf", big);
    // The bot answers the file it was not asking for (it is in the main menu).
    await chat.waitFor(APPLICANT, "", sent + 1);
    const id = Object.values(sandbox.state.files).find((f) => f.name === "big.pdf")!.id;
    const tooBig = await fetch(`${sandbox.url}/bot${SANDBOX_TOKEN}/getFile`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ file_id: id }),
    });
    expect(await tooBig.json()).toMatchObject({ ok: false, description: "Bad Request: file is too big" });

    const messages = await chat.count(APPLICANT);
    bot.child.kill("SIGTERM");
    await bot.exited;
    await sandbox.close();
    sandbox = await startSandbox({ port: 0, dataDir, quiet: true });
    expect(await new SandboxClient(sandbox.url).count(APPLICANT)).toBe(messages);
    bot = spawnBot({ ...env, BOT_API_ROOT: sandbox.url }, await freePort());
    await bot.ready();
  }, 120_000);
});
