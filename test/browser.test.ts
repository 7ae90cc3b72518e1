// The web chat in a real browser (Debian's chromium, driven by playwright-core): an applicant
// in Russian goes through an application with real file uploads and gets the number; a staff
// member moves the case to the inspection stage; the applicant sees the notice. Screenshots of
// the key screens go to test/artifacts/.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../sandbox/server.js";
import { sandboxedBot, type BotProcess } from "./helpers/bot-process.js";
import { VALID_BIN, pdf } from "./helpers/samples.js";
import { dayKeyOf } from "../flows/calendar/kz-time.js";

/** The process runs on the real clock: numbers carry this year (in Kazakhstan). */
const YEAR = dayKeyOf(new Date()).slice(0, 4);

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const artifacts = path.resolve("test/artifacts");
let dataDir: string;
let sandbox: Sandbox;
let bot: BotProcess;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH`);
  await mkdir(artifacts, { recursive: true });
  dataDir = await mkdtemp(path.join(os.tmpdir(), "qanat-browser-"));
  ({ sandbox, bot } = await sandboxedBot(dataDir));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  bot?.child.kill("SIGTERM");
  await bot?.exited;
  await sandbox?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const button = (page: Page, name: string) => page.locator("#messages button", { hasText: name }).last();
const lastBot = (page: Page) => page.locator(".msg.bot").last();

async function type(page: Page, text: string) {
  await page.fill("#text", text);
  await page.press("#text", "Enter");
}

async function upload(page: Page, name: string) {
  const file = path.join(dataDir, name);
  await writeFile(file, pdf(name));
  await page.setInputFiles("#file", file);
}

async function as(page: Page, persona: string) {
  await page.locator(".persona", { hasText: persona }).click();
  await expect.poll(() => page.textContent("#title")).toContain(persona);
}

describe("the web chat in Chromium", () => {
  it("an application with uploads, a staff action to the inspection stage, the applicant's notice", async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(sandbox.url);
    // The staff member has opened the bot and chosen Russian before the case arrives.
    await as(page, "Ерлан");
    await type(page, "/start");
    await button(page, "Русский").click();
    await expect.poll(() => lastBot(page).textContent()).toContain("Главное меню");
    await as(page, "Иван");
    await type(page, "/start");
    await button(page, "Русский").click();
    await button(page, "Новая заявка").click();
    await button(page, "Свидетельство АОН").click();
    await button(page, "Выдача").click();
    await expect.poll(() => lastBot(page).textContent()).toContain("Понадобятся документы");
    await page.screenshot({ path: path.join(artifacts, "01-requirements.png") });
    await button(page, "Начать").click();
    await button(page, "Юридическое лицо").click();
    await expect.poll(() => lastBot(page).textContent()).toContain("БИН");
    await type(page, VALID_BIN);
    await expect.poll(() => lastBot(page).textContent()).toContain("наименование");
    await type(page, "ТОО «Браузер Авиа»");
    // The reply keyboard's contact button, as Telegram shows it under the input.
    await page.locator("#replykb button", { hasText: "Поделиться номером" }).click();
    await button(page, "Пропустить").click();
    for (const [n, name] of ["1-application.pdf", "2-certificates.pdf", "3-rights.pdf", "4-insurance.pdf", "5-licences.pdf"].entries()) {
      await expect.poll(() => lastBot(page).textContent()).toContain(`Документ ${n + 1} / 7`);
      await upload(page, name);
      if (n > 0) await button(page, "Готово").click();
    }
    await expect.poll(() => lastBot(page).textContent()).toContain("Документ 6 / 7");
    await button(page, "Пропустить").click();
    await expect.poll(() => lastBot(page).textContent()).toContain("Документ 7 / 7");
    await button(page, "Пропустить").click();
    await button(page, "Подать заявку").click();
    await expect.poll(() => lastBot(page).textContent()).toContain(`Регистрационный номер: GA-${YEAR}-000001`);
    await expect(page.locator(".msg.bot b", { hasText: `GA-${YEAR}-000001` }).count()).resolves.toBeGreaterThan(0);
    await page.screenshot({ path: path.join(artifacts, "02-submitted.png") });

    await as(page, "Ерлан");
    await button(page, `Открыть GA-${YEAR}-000001`).click();
    await expect.poll(() => lastBot(page).textContent()).toContain("Заявитель: ТОО «Браузер Авиа»");
    await button(page, "Принять в работу").click();
    await expect.poll(() => lastBot(page).textContent()).toContain("Решение: переход к обследованию");
    await button(page, "Решение: переход к обследованию").click();
    await expect
      .poll(() => page.locator(".msg.bot").allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining("этап «решение о переходе к сертификационному обследованию»")]));
    await page.screenshot({ path: path.join(artifacts, "03-staff.png") });

    await as(page, "Иван");
    await expect.poll(() => lastBot(page).textContent()).toContain("Принято решение о переходе к этапу сертификационного обследования");
    await expect(lastBot(page).locator("b", { hasText: "сертификационного обследования" }).count()).resolves.toBe(1);
    await page.screenshot({ path: path.join(artifacts, "04-applicant-notice.png") });
    await page.close();
  }, 120_000);
});
