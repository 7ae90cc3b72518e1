import { describe, expect, it } from "vitest";
import { allButtons, button, texts, type FakeUser } from "./helpers/fake-telegram.js";
import { beginApplication } from "./helpers/flows.js";
import type { Harness } from "./helpers/harness.js";
import { botTests } from "./helpers/suite.js";
import { VALID_BIN, exe, jpeg, pdf, png } from "./helpers/samples.js";
import type { Database } from "../bot/store/database.js";

let db: Database;
let h: Harness;
botTests({ maxFileBytes: 1024 * 1024 }, (d, x) => {
  db = d;
  h = x;
});

/** An AOC issuance with the details given, waiting for the first document (PDF only). */
async function atFirstDocument(u: FakeUser) {
  let r = await beginApplication(u, "Сертификат эксплуатанта", "Выдача", "Начать");
  await u.say(VALID_BIN);
  await u.say("АО Тест");
  await u.say("+77011112233");
  r = await u.press("a:skip");
  expect(texts(r).at(-1)).toContain("Документ 1 / 9: Заявление");
}

const draftFiles = () => db.prisma.draftFile.findMany();

describe("refusals, each with the reason in the user's language, and the conversation stays put", () => {
  it("a BIN with a wrong check digit, a BIN of the wrong length, and an IIN where a BIN is due", async () => {
    const u = h.user(8001, "ru");
    let r = await beginApplication(u, "Сертификат эксплуатанта", "Выдача", "Начать");
    const wrongDigit = VALID_BIN.slice(0, 11) + String((Number(VALID_BIN[11]) + 1) % 10);
    r = await u.say(wrongDigit);
    expect(texts(r)).toEqual(["Такого БИН не бывает: не сходится контрольная цифра. Проверьте, нет ли опечатки, и введите еще раз."]);
    r = await u.say("12345");
    expect(texts(r)).toEqual(["БИН состоит ровно из 12 цифр. Проверьте и введите еще раз."]);
    r = await u.say("900101300017");
    expect(texts(r)[0]).toContain("Это не БИН юридического лица");
    expect((await db.prisma.draft.findFirstOrThrow()).idNumber).toBeNull();
    r = await u.say(VALID_BIN);
    expect(texts(r)).toEqual(["Введите полное наименование организации."]);
  });

  it("the same in Kazakh, and a phone, a foreign contact and an e-mail that are wrong", async () => {
    const u = h.user(8002, "kk");
    let r = await beginApplication(u, "Пайдаланушы сертификаты", "Беру", "Бастау");
    r = await u.say("180340021792");
    expect(texts(r)[0]).toBe("Мұндай БСН болмайды: бақылау цифры сәйкес келмейді. Қате жоқ па, тексеріп, қайта енгізіңіз.");
    await u.say(VALID_BIN);
    r = await u.say("ab");
    expect(texts(r)[0]).toBe("Әріптері бар 3-тен 200 таңбаға дейінгі мәтін қажет. Қайта енгізіңіз.");
    await u.say("«Аспан» ЖШС");
    r = await u.say("+49 30 1234567");
    expect(texts(r)[0]).toContain("Қазақстан нөміріне ұқсамайды");
    r = await u.shareContact("+77010000001", 999);
    expect(texts(r)[0]).toContain("Бұл басқа адамның контактісі");
    r = await u.shareContact("+77010000001");
    r = await u.say("not-an-email@");
    expect(texts(r)[0]).toContain("Пошта мекенжайы қате сияқты");
    expect((await db.prisma.draft.findFirstOrThrow()).phone).toBe("+77010000001");
  });

  it("a file of the wrong format (by content, whatever its name says)", async () => {
    const u = h.user(8003, "ru");
    await atFirstDocument(u);
    const r = await u.sendDocument(exe(), "application.pdf", "application/pdf");
    expect(texts(r)[0]).toBe("❌ Этот файл не подходит: по содержимому это не PDF. Здесь принимаются: PDF.");
    expect(await draftFiles()).toHaveLength(0);
  });

  it("a file over the limit is refused before it is downloaded", async () => {
    const u = h.user(8004, "ru");
    await atFirstDocument(u);
    const r = await u.sendDocument(pdf("big"), "big.pdf", "application/pdf", 5 * 1024 * 1024);
    expect(texts(r)[0]).toBe("❌ Файл больше 1 МБ. Уменьшите его (например, сожмите PDF или разделите на части) и отправьте снова.");
    expect(r.map((c) => c.method)).not.toContain("getFile");
    expect(await draftFiles()).toHaveLength(0);
  });

  it("a file whose real size is over the limit though Telegram did not say so", async () => {
    const u = h.user(8005, "ru");
    await atFirstDocument(u);
    const r = await u.sendDocument(pdf("big", 2 * 1024 * 1024), "big.pdf", "application/pdf", 100);
    expect(r.map((c) => c.method)).toContain("getFile");
    expect(texts(r)[0]).toContain("❌ Файл больше 1 МБ.");
    expect(await draftFiles()).toHaveLength(0);
  });

  it("an empty file", async () => {
    const u = h.user(8006, "ru");
    await atFirstDocument(u);
    const r = await u.sendDocument(new Uint8Array(0), "empty.pdf");
    expect(texts(r)[0]).toBe("❌ Файл пустой (0 байт). Отправьте файл с содержимым.");
    expect(await draftFiles()).toHaveLength(0);
  });

  it("a photo where only PDF is accepted", async () => {
    const u = h.user(8007, "ru");
    await atFirstDocument(u);
    const r = await u.sendPhoto(jpeg());
    expect(texts(r)[0]).toBe("❌ Фото здесь не принимается: нужен документ в формате PDF. Отправьте файл: 📎 → Файл.");
    expect(await draftFiles()).toHaveLength(0);
    // And then the right file is taken: nothing was lost.
    const ok = await u.sendDocument(pdf(), "app.pdf");
    expect(texts(ok)[0]).toContain("✅ Принят файл «app.pdf»");
  });

  it("text where a file is expected, and a required item cannot be skipped or left empty", async () => {
    const u = h.user(8008, "ru");
    await atFirstDocument(u);
    let r = await u.say("вот заявление");
    expect(texts(r)[0]).toBe("Здесь нужен файл документа: 📎 → Файл. Или используйте кнопки под сообщением.");
    r = await u.press("a:skip");
    expect(texts(r)[0]).toBe("Этот документ обязательный, пропустить его нельзя.");
    r = await u.press("a:done");
    expect(texts(r)[0]).toBe("Это обязательный документ: приложите хотя бы один файл.");
  });

  it("the same file for two items is taken with a warning; twice for one item it is not", async () => {
    const u = h.user(8009, "ru");
    await atFirstDocument(u);
    const same = pdf("same bytes");
    await u.sendDocument(same, "app.pdf");
    let r = await u.sendDocument(same, "receipt.pdf");
    expect(texts(r)[0]).toContain("⚠️ Этот же файл уже приложен к пункту «Заявление».");
    r = await u.sendDocument(pdf("manual"), "m.pdf");
    r = await u.sendDocument(pdf("manual"), "m-again.pdf");
    expect(texts(r)[0]).toBe("Этот файл уже приложен к этому пункту.");
    expect((await draftFiles()).map((f) => f.fileName)).toEqual(["app.pdf", "receipt.pdf", "m.pdf"]);
  });

  it("a file can be removed, a single-file item replaced, and the applicant can go back", async () => {
    const u = h.user(8010, "ru");
    await atFirstDocument(u);
    await u.sendDocument(pdf("v1"), "v1.pdf");
    let r = await u.press("a:back");
    expect(texts(r)[0]).toContain("Документ 1 / 9: Заявление");
    expect(texts(r)[0]).toContain("1. v1.pdf");
    r = await u.sendDocument(pdf("v2"), "v2.pdf");
    expect((await draftFiles()).map((f) => f.fileName)).toEqual(["v2.pdf"]);
    r = await u.sendPhoto(png());
    r = await u.sendDocument(pdf("m1"), "m1.pdf");
    const remove = allButtons(r).find((b) => b.text === "🗑 m1.pdf")!;
    r = await u.press(remove.data!);
    expect(texts(r)[0]).toContain("🗑 Файл удален.");
    expect(texts(r)[0]).toContain("Файлов пока нет.");
    // A forged remove of a file that is not the user's does nothing.
    r = await u.press("a:rm:99999");
    expect(texts(r)[0]).toContain("Эта кнопка уже не действует.");
    expect(await draftFiles()).toHaveLength(2);
  });

  it("submission with a required item missing says exactly what is missing", async () => {
    const u = h.user(8011, "ru");
    await atFirstDocument(u);
    await u.sendDocument(pdf("a"), "a.pdf");
    await u.sendDocument(pdf("b"), "b.pdf");
    let r: Awaited<ReturnType<FakeUser["say"]>> = [];
    for (const name of ["c", "d", "e", "f", "g"]) {
      await u.sendDocument(pdf(name), `${name}.pdf`);
      r = await u.press("a:done");
    }
    r = await u.sendDocument(pdf("h"), "h.pdf");
    r = await u.press("a:skip");
    expect(texts(r)[0]).toContain("<b>Проверьте заявку</b>");
    // From the review, open item 3, remove its file, and walk back to the review.
    r = await u.press(button(r, "3. Руководство"));
    r = await u.press(allButtons(r).find((b) => b.text === "🗑 c.pdf")!.data!);
    r = await u.press("a:back");
    r = await u.press("a:done");
    expect(texts(r)[0]).toContain("❌ 3. Руководство по производству полетов — нет файла");
    r = await u.press(button(r, "Подать заявку"));
    expect(texts(r)[0]).toBe("Подать пока нельзя, не хватает:\n• 3. Руководство по производству полетов\n\nИсправьте кнопками под сводкой.");
    expect(await db.prisma.case.count()).toBe(0);
  });

  it("forged or stale buttons are answered and change nothing", async () => {
    const u = h.user(8012, "ru");
    let r = await u.press("a:svc:does-not-exist");
    expect(r.find((c) => c.method === "answerCallbackQuery")?.payload.text).toBe("Эта кнопка уже не действует.");
    r = await u.press("x".repeat(64));
    expect(r.find((c) => c.method === "answerCallbackQuery")?.payload.text).toBe("Эта кнопка уже не действует.");
    r = await u.say("/nonsense");
    expect(texts(r)[0]).toBe("Такой команды нет. Список команд: /help");
    expect(await db.prisma.draft.count()).toBe(0);
  });
});
