import { existsSync, readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { allButtons, button, lastMessage, texts, type FakeUser } from "./helpers/fake-telegram.js";
import { beginApplication } from "./helpers/flows.js";
import type { Harness } from "./helpers/harness.js";
import { botTests } from "./helpers/suite.js";
import { VALID_BIN, VALID_IIN, docx, jpeg, pdf } from "./helpers/samples.js";
import type { Database } from "../bot/store/database.js";

let db: Database;
let h: Harness;
// Thursday 5 March 2026, 17:00 in Astana: the Monday after is a day off (8 March moved).
botTests({ now: new Date("2026-03-05T17:00:00+05:00") }, (d, x) => {
  db = d;
  h = x;
});

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

describe("the applicant's journey in Russian (air operator certificate, issuance)", () => {
  it("goes from /start to a registration number and a planned timeline, and stores the case", async () => {
    const u = h.user(7001, "ru");

    let r = await u.say("/start");
    expect(texts(r)[0]).toContain("Здравствуйте, Айгүл!");
    // Pre-selected from the Telegram client's language.
    expect(allButtons(r).map((b) => b.text)).toEqual(["Қазақша", "✓ Русский"]);

    r = await u.press(button(r, "Русский"));
    expect(texts(r)).toContain("Главное меню. Что вы хотите сделать?");
    expect(allButtons(r).map((b) => b.text)).toEqual(["📝 Новая заявка", "📂 Мои заявки", "ℹ️ Как проходит процедура", "❓ Помощь"]);
    expect((await db.prisma.user.findUnique({ where: { id: 7001n } }))?.language).toBe("ru");

    r = await u.press(button(r, "Новая заявка"));
    expect(texts(r)).toEqual(["Выберите услугу:"]);
    r = await u.press(button(r, "Сертификат эксплуатанта"));
    expect(texts(r)[0]).toContain("выдача или дубликат?");
    r = await u.press(button(r, "Выдача"));
    const requirements = texts(r)[0]!;
    expect(requirements).toContain("Заявитель: Юридическое лицо");
    expect(requirements).toContain("1. Заявление — PDF");
    expect(requirements).toContain("9. Прочие документы (по желанию)");
    // 20 wd of review + inspection stage + result: with the March and May days off, 28 May 12:00.
    expect(requirements).toContain("не позднее <b>28.05.2026 (чт) 12:00</b>");

    // The operator certificate is for legal entities only: no type question, straight to the BIN.
    r = await u.press(button(r, "Начать"));
    expect(texts(r)).toEqual(["Введите <b>БИН</b> организации (12 цифр)."]);
    r = await u.say(VALID_BIN);
    expect(texts(r)).toEqual(["Введите полное наименование организации."]);
    r = await u.say("АО «Эйр Астана»");
    expect(texts(r)[0]).toContain("Укажите контактный телефон");
    expect(lastMessage(r)!.payload.reply_markup.keyboard[0][0]).toEqual({ text: "📱 Поделиться номером", request_contact: true });
    r = await u.shareContact("77012345678");
    expect(texts(r)).toContain("Введите адрес или нажмите «Пропустить».");
    r = await u.say("Office@AirAstana.KZ");
    expect(texts(r)[0]).toBe("✅ Данные заявителя сохранены.");
    expect(texts(r)[1]).toContain("📎 <b>Документ 1 / 9: Заявление</b>");
    expect(texts(r)[1]).toContain("Форматы: PDF. Обязательный. Один файл.");

    const draft = await db.prisma.draft.findUnique({ where: { userId: 7001n } });
    expect(draft).toMatchObject({ applicantType: "legal", idNumber: VALID_BIN, name: "АО «Эйр Астана»", phone: "+77012345678", email: "office@airastana.kz" });

    // 1: application, one file: taken and the next item comes.
    const application = pdf("application");
    r = await u.sendDocument(application, "заявление.pdf");
    expect(texts(r)[0]).toMatch(/^✅ Принят файл «заявление\.pdf» \(\d+ B\)\.$/);
    expect(texts(r)[1]).toContain("Документ 2 / 9: Документ об оплате");
    // 2: payment as a photo: accepted where images are, with the hint about quality.
    r = await u.sendPhoto(jpeg("receipt"));
    expect(texts(r)[0]).toContain("Фото принято, но Telegram сжимает фотографии");
    expect(texts(r)[1]).toContain("Документ 3 / 9");
    // 3..8: several files for the manual, then "done"; one file for each of the others.
    r = await u.sendDocument(pdf("manual part 1"), "ops-1.pdf");
    expect(texts(r)[0]).toContain("Отправьте еще файл или нажмите «Готово».");
    r = await u.sendDocument(pdf("manual part 2"), "ops-2.pdf");
    expect(texts(r)[0]).toContain("1. ops-1.pdf");
    expect(texts(r)[0]).toContain("2. ops-2.pdf");
    r = await u.press(button(r, "Готово"));
    expect(texts(r)[0]).toContain("Документ 4 / 9");
    for (const [n, name] of [
      [4, "cert.pdf"],
      [5, "lease.pdf"],
      [6, "insurance.pdf"],
    ] as const) {
      r = await u.sendDocument(pdf(name), name);
      r = await u.press(button(r, "Готово"));
      expect(texts(r).at(-1)).toContain(`Документ ${n + 1} / 9`);
    }
    r = await u.sendDocument(docx(), "personnel.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    r = await u.press(button(r, "Готово"));
    r = await u.sendDocument(pdf("maintenance"), "mro.pdf");
    expect(texts(r).at(-1)).toContain("Документ 9 / 9: Прочие документы");
    // 9: optional, skipped.
    r = await u.press(button(r, "Пропустить"));
    const review = texts(r)[0]!;
    expect(review).toContain("<b>Проверьте заявку</b>");
    expect(review).toContain("БИН: 180340021791");
    expect(review).toContain("Телефон: +77012345678");
    expect(review).toContain("✅ 3. Руководство по производству полетов — файлов: 2");
    expect(review).toContain("➖ 9. Прочие документы — не приложен (необязательный)");
    expect(allButtons(r).map((b) => b.text)).toContain("📨 Подать заявку");

    r = await u.press(button(r, "Подать заявку"));
    const done = texts(r)[0]!;
    expect(done).toContain("✅ Заявка подана. Регистрационный номер: <b>AOC-2026-000001</b>");
    expect(done).toContain("1. Регистрация документов — до 05.03.2026 (чт) 17:30");
    // 2 h of working time from 17:30: one hour on Thursday, the rest on Friday from 09:00.
    expect(done).toContain("2. Резолюция руководителя — до 06.03.2026 (пт) 10:00");
    expect(done).toContain("Представление плана корректирующих мероприятий (заявитель) — <b>за вами</b>, до");
    expect(done).toContain("Результат — не позднее <b>28.05.2026 (чт) 12:00</b>.");

    // Stored: the case, its files (on disk, by SHA-256), the event; the draft is gone.
    const c = await db.prisma.case.findUniqueOrThrow({ where: { number: "AOC-2026-000001" }, include: { files: true, events: true } });
    expect(c).toMatchObject({ serviceId: "aoc", variant: "issuance", stage: "submitted", idNumber: VALID_BIN, applicantType: "legal" });
    expect(c.submittedAt.toISOString()).toBe("2026-03-05T12:00:00.000Z");
    expect(c.files).toHaveLength(9);
    const app = c.files.find((f) => f.itemId === "application")!;
    expect(app.sha256).toBe(sha(application));
    expect(readFileSync(path.join(h.filesDir, "files", app.storedPath))).toEqual(Buffer.from(application));
    expect(c.files.find((f) => f.itemId === "personnel")!.format).toBe("docx");
    expect(c.events.map((e) => e.type)).toEqual(["submitted"]);
    expect(await db.prisma.draft.count()).toBe(0);

    // My applications: the list and the card.
    r = await u.press(button(r, "Мои заявки"));
    expect(texts(r)[0]).toContain("<b>AOC-2026-000001</b> — Сертификат эксплуатанта (Выдача)");
    expect(texts(r)[0]).toContain("Этап: подана, ожидает регистрации");
    expect(texts(r)[0]).toContain("Далее: Регистрация документов — до <b>05.03.2026 (чт) 17:30</b>");
    r = await u.press(button(r, "AOC-2026-000001"));
    expect(texts(r)[0]).toContain("<b>Заявка AOC-2026-000001</b>");
    expect(texts(r)[0]).toContain("Подана: 05.03.2026 (чт) 17:00");
    expect(texts(r)[0]).toContain("• Руководство по производству полетов: 2");
    expect(texts(r)[0]).toContain("• 05.03.2026 (чт) 17:00: заявка подана");
  });
});

describe("the applicant's journey in Kazakh (general aviation, individual)", () => {
  async function toDocuments(u: FakeUser) {
    await u.say("/start");
    await u.press("l:kk");
    let r = await u.press("m:new");
    r = await u.press(button(r, "ЖМА ұшу құқығына куәлік"));
    r = await u.press(button(r, "Беру"));
    expect(texts(r)[0]).toContain("Өтініш беруші: Заңды тұлға, Жеке тұлға");
    r = await u.press(button(r, "Бастау"));
    expect(texts(r)[0]).toBe("«ЖМА ұшу құқығына куәлік» бойынша өтінімді кім береді?");
    r = await u.press(button(r, "Жеке тұлға"));
    expect(texts(r)).toEqual(["Өзіңіздің <b>ЖСН</b>-іңізді енгізіңіз (12 цифр)."]);
    return r;
  }

  it("collects the details and documents, and submits with the Kazakh timeline", async () => {
    const u = h.user(7002, "en");
    let r = await toDocuments(u);
    r = await u.say(VALID_IIN);
    expect(texts(r)).toEqual(["Тегіңізді, атыңызды және әкеңіздің атын толық енгізіңіз."]);
    r = await u.say("Сәрсенбаева Әйгерім Нұрланқызы");
    r = await u.say("8 (701) 555-44-33");
    expect(texts(r)).toContain("Мекенжайды енгізіңіз немесе «Өткізіп жіберу» батырмасын басыңыз.");
    r = await u.press(button(r, "Өткізіп жіберу"));
    expect(texts(r)[0]).toBe("✅ Өтініш берушінің деректері сақталды.");
    expect(texts(r)[1]).toContain("📎 <b>Құжат 1 / 7: Өтініш</b>");
    expect(texts(r)[1]).toContain("Форматтар: PDF. Міндетті. Бір файл.");
    r = await u.sendDocument(pdf("өтініш"), "otinish.pdf");
    expect(texts(r)[0]).toContain("✅ «otinish.pdf» файлы қабылданды");
    for (const name of ["cert.pdf", "rights.pdf", "insurance.pdf", "licence.pdf"]) {
      r = await u.sendDocument(pdf(name), name);
      r = await u.press(button(r, "Дайын"));
    }
    expect(texts(r).at(-1)).toContain("Құжат 6 / 7: Ұшуларды орындау жөніндегі басшылық");
    expect(texts(r).at(-1)).toContain("Міндетті емес");
    r = await u.press(button(r, "Өткізіп жіберу"));
    r = await u.press(button(r, "Өткізіп жіберу"));
    expect(texts(r)[0]).toContain("<b>Өтінімді тексеріңіз</b>");
    expect(texts(r)[0]).toContain("ЖСН: 900101300017");
    expect(texts(r)[0]).toContain("Эл. пошта: —");
    r = await u.press(button(r, "Өтінімді беру"));
    expect(texts(r)[0]).toContain("✅ Өтінім берілді. Тіркеу нөмірі: <b>GA-2026-000001</b>");
    expect(texts(r)[0]).toContain("1. Құжаттарды тіркеу — 05.03.2026 (бс) 17:30 дейін");
    expect(texts(r)[0]).toContain("Нәтиже — <b>");
    const c = await db.prisma.case.findUniqueOrThrow({ where: { number: "GA-2026-000001" } });
    expect(c).toMatchObject({ applicantType: "individual", idNumber: VALID_IIN, phone: "+77015554433", email: null });
  });

  it("numbers cases per service and year", async () => {
    const first = h.user(7003, "kk");
    const second = h.user(7004, "kk");
    for (const u of [first, second]) {
      let r = await beginApplication(u, "ЖМА ұшу құқығына куәлік", "Телнұсқа", "Бастау");
      r = await u.press(button(r, "Жеке тұлға"));
      await u.say(VALID_IIN);
      await u.say("Иванов Иван");
      await u.say("+7 777 000 11 22");
      r = await u.press("a:skip");
      r = await u.sendDocument(pdf(`application ${u.id}`), "app.pdf");
      r = await u.press(button(r, "Өткізіп жіберу"));
      r = await u.press(button(r, "Өтінімді беру"));
    }
    const numbers = (await db.prisma.case.findMany({ orderBy: { id: "asc" } })).map((c) => c.number);
    expect(numbers).toEqual(["GA-2026-000001", "GA-2026-000002"]);
  });
});

describe("cancel, draft and language", () => {
  it("/cancel keeps the draft, and a new application offers to continue it or start over", async () => {
    const u = h.user(7010, "ru");
    let r = await beginApplication(u, "Сертификат эксплуатанта", "Выдача", "Начать");
    await u.say(VALID_BIN);
    r = await u.say("/cancel");
    expect(texts(r)[0]).toBe("Вы вышли из заявки. Черновик сохранен: нажмите «Новая заявка», чтобы продолжить.");
    // Out of the conversation, free text gets a helpful answer, not the BIN validator.
    r = await u.say("привет");
    expect(texts(r)[0]).toBe("Я не понял сообщение. Выберите действие в меню или отправьте /help.");
    r = await u.press("m:new");
    expect(texts(r)[0]).toContain("У вас есть незавершенная заявка: Сертификат эксплуатанта — Выдача, документов приложено: 0 из 9.");
    r = await u.press(button(r, "Продолжить"));
    // The BIN was saved: it is offered to keep.
    expect(texts(r)[0]).toBe("Введите полное наименование организации.");
    r = await u.say("ТОО Тест");
    expect(texts(r)[0]).toContain("Укажите контактный телефон");
    r = await u.say("/cancel");
    r = await u.press("m:new");
    r = await u.press(button(r, "Начать заново"));
    expect(texts(r)).toEqual(["Черновик удален.", "Выберите услугу:"]);
    expect(await db.prisma.draft.count()).toBe(0);
  });

  it("/language switches in the middle of an application, and the question comes again in the new language", async () => {
    const u = h.user(7011, "ru");
    let r = await beginApplication(u, "Сертификат эксплуатанта", "Выдача", "Начать");
    r = await u.say("/language");
    expect(texts(r)[0]).toBe("Выберите язык:");
    r = await u.press("l:kk");
    expect(texts(r)).toEqual(["Тіл: қазақша", "Ұйымның <b>БСН</b>-ін енгізіңіз (12 цифр)."]);
    expect((await db.prisma.user.findUnique({ where: { id: 7011n } }))?.language).toBe("kk");
  });

  it("/help explains every command", async () => {
    const u = h.user(7012, "ru");
    const r = await u.say("/help");
    for (const cmd of ["/start", "/language", "/cancel", "/help"]) expect(texts(r)[0]).toContain(cmd);
    expect(texts(r)[0]).toContain("не больше 20 МБ");
  });

  it("an applicant cannot open another applicant's case, even with forged callback data", async () => {
    const owner = h.user(7020, "ru");
    let r = await beginApplication(owner, "Свидетельство АОН", "Дубликат", "Начать");
    r = await owner.press(button(r, "Юридическое лицо"));
    await owner.say(VALID_BIN);
    await owner.say("ТОО Небо");
    await owner.say("+77010000000");
    await owner.press("a:skip");
    r = await owner.sendDocument(pdf("dup"), "dup.pdf");
    r = await owner.press(button(r, "Пропустить"));
    r = await owner.press(button(r, "Подать заявку"));
    const c = await db.prisma.case.findFirstOrThrow();
    const stranger = h.user(7021, "ru");
    r = await stranger.press(`c:${c.id}`);
    expect(r.find((x) => x.method === "answerCallbackQuery")?.payload.text).toBe("Заявка не найдена.");
    expect(texts(r).join("\n")).not.toContain(c.number);
    r = await stranger.press("m:cases");
    expect(texts(r)[0]).toBe("У вас пока нет поданных заявок.");
  });
});
