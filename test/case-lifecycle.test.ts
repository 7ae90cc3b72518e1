import { beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../bot/store/database.js";
import { allButtons, texts } from "./helpers/fake-telegram.js";
import { createHarness, type Harness } from "./helpers/harness.js";
import { botTests } from "./helpers/suite.js";
import { actionButton, delivered, pressNoticeButton, staffPress, submitThroughBot } from "./helpers/lifecycle.js";
import { docx, pdf } from "./helpers/samples.js";

let db: Database;
let h: Harness;
const ADMIN = 900;
const STAFF = 901;
const APPLICANT = 7001;

botTests({ now: new Date("2026-03-05T10:00:00+05:00"), adminIds: [ADMIN] }, (d, x) => {
  db = d;
  h = x;
});

const at = (iso: string) => (h.clock.now = new Date(iso));

/** The admin (Russian) makes 901 staff; 901 has never chosen a language, so Kazakh. */
async function withStaff() {
  const admin = h.user(ADMIN, "ru");
  await admin.say("/start");
  await admin.press("l:ru");
  const staff = h.user(STAFF);
  await staff.say("/start");
  const r = await admin.say(`/staff add ${STAFF}`);
  expect(texts(r)).toEqual([`Готово: ${STAFF} — сотрудник.`]);
  return { admin, staff };
}

describe("the whole issuance of an air operator certificate, with non-conformities (applicant in Russian, staff in Kazakh)", () => {
  it("moves through every stage of the regulation, and the applicant is told each time what happens next and by when", async () => {
    const { admin, staff } = await withStaff();
    // The role change is recorded, the person gets their own command menu and is told.
    expect(await db.prisma.roleChange.findMany({ select: { actorId: true, userId: true, fromRole: true, toRole: true }, orderBy: { id: "asc" } })).toEqual([
      { actorId: null, userId: BigInt(ADMIN), fromRole: "applicant", toRole: "admin" },
      { actorId: BigInt(ADMIN), userId: BigInt(STAFF), fromRole: "applicant", toRole: "staff" },
    ]);
    const menus = h.tg.calls.filter((c) => c.method === "setMyCommands" && c.payload.scope?.chat_id === STAFF);
    expect(menus.map((c) => c.payload.language_code ?? "default")).toEqual(["default", "kk", "ru"]);
    expect(menus[2]!.payload.commands.map((c: any) => c.command)).toEqual(["start", "help", "language", "cancel", "queue", "case", "broadcast"]);
    await h.drain();
    expect(delivered(h, STAFF).at(-1)).toBe("Сізге Qanat қызметкері рөлі берілді. Командалар: /queue, /case, /broadcast.");

    const u = h.user(APPLICANT, "ru");
    const number = await submitThroughBot(h, u, "aoc", "issuance", "ru");
    expect(number).toBe("AOC-2026-000001");
    await h.drain();
    // Staff are told in their own language, with a button to open the case.
    expect(delivered(h, STAFF).at(-1)).toBe("🆕 Жаңа өтінім <b>AOC-2026-000001</b>: Пайдаланушы сертификаты (Беру), ТОО «Тест Авиа».");
    expect(delivered(h, ADMIN).at(-1)).toBe("🆕 Новая заявка <b>AOC-2026-000001</b>: Сертификат эксплуатанта (Выдача), ТОО «Тест Авиа».");

    // The queue and the card.
    let r = await staff.say("/queue");
    expect(texts(r)[0]).toContain("<b>Кезек</b>: бізді күтуде — 1, мерзімі өткені — 0.");
    expect(texts(r)[0]).toContain("• <b>AOC-2026-000001</b> — берілді, тіркеуді күтуде; 05.03.2026 (бс) 10:30 дейін");
    r = await staff.press(allButtons(r).find((b) => b.text === "AOC-2026-000001")!.data!);
    expect(texts(r)[0]).toContain("Өтініш беруші: ТОО «Тест Авиа» (Заңды тұлға), БСН/ЖСН 180340021791");
    expect(allButtons(r).map((b) => b.text)).toEqual(["✅ Жұмысқа алу (мен орындаушымын)", "📎 Құжаттар (8)", "📋 Кезек"]);

    // The documents come as files.
    const docs = await staff.press(allButtons(r).find((b) => b.data?.startsWith("s:d:"))!.data!);
    expect(docs.filter((c) => c.method === "sendDocument").map((c) => c.payload.caption)).toContain("AOC-2026-000001 · Өтініш");
    expect(docs.filter((c) => c.method === "sendDocument")).toHaveLength(8);

    r = await staff.press(actionButton(r, "assign"));
    expect(texts(r)[0]).toBe("✅ AOC-2026-000001: «қаралуда (орындаушы тағайындалды)» кезеңі. Өтініш берушіге хабарланады.");
    await h.drain();
    let notice = delivered(h, APPLICANT).at(-1)!;
    expect(notice).toContain("📌 <b>Заявка AOC-2026-000001</b>");
    expect(notice).toContain("Ваша заявка зарегистрирована и принята в работу");
    expect(notice).toContain("Далее: Проверка полноты документов — до 11.03.2026 (ср) 18:30.");

    // Non-conformities: pick the items, say why, confirm.
    r = await staffPress(staff, number, "nonconformities");
    expect(texts(r)).toContain("Сәйкессіздіктері бар құжаттарды белгілеп, «Әрі қарай» батырмасын басыңыз.");
    r = await staff.press("x:ok");
    expect(texts(r)).toEqual(["Кемінде бір құжатты белгілеңіз."]);
    r = await staff.press("x:i:2");
    expect(r.find((c) => c.method === "editMessageReplyMarkup")!.payload.reply_markup.inline_keyboard[2][0].text).toBe(
      "☑️ Ұшуларды орындау жөніндегі басшылық",
    );
    await staff.press("x:ok");
    await staff.say("Раздел 8 не подписан <руководителем>");
    r = await staff.press("x:ok");
    expect(texts(r)[0]).toContain("«сәйкессіздіктер анықталды — өтініш берушінің жоюын күтуде» кезеңі");
    await h.drain();
    notice = delivered(h, APPLICANT).at(-1)!;
    expect(notice).toContain("• Руководство по производству полетов");
    expect(notice).toContain("Причина: Раздел 8 не подписан &lt;руководителем&gt;");
    // 10 wd from Thursday 5 March: Monday 9 March is a day off (8 March moved).
    expect(notice).toContain("⏳ За вами: срок — <b>20.03.2026 (пт) 18:30</b>.");
    expect(
      h.tg
        .messagesTo(APPLICANT)
        .at(-1)!
        .payload.reply_markup.inline_keyboard.flat()
        .map((b: any) => b.text),
    ).toEqual(["📎 Заменить документы", "📂 Открыть заявку"]);

    // Reminders 3 and 1 working days before, each once.
    at("2026-03-17T08:59:00+05:00");
    expect(await h.background.runReminders()).toBe(0);
    at("2026-03-17T09:00:00+05:00");
    expect(await h.background.runReminders()).toBe(1);
    expect(await h.background.runReminders()).toBe(0);
    await h.drain();
    expect(delivered(h, APPLICANT).at(-1)).toContain("⏰ Напоминание: осталось 3 раб. дн. — устраните несоответствия до <b>20.03.2026 (пт) 18:30</b>.");
    at("2026-03-19T11:00:00+05:00");
    expect(await h.background.runReminders()).toBe(1);
    await h.drain();
    expect(delivered(h, APPLICANT).at(-1)).toContain("осталось 1 раб. дн.");

    // The applicant answers with the notice's button and replaces exactly that document.
    r = await pressNoticeButton(h, u, "p:fix:");
    expect(texts(r)[0]).toContain("Причина: Раздел 8 не подписан &lt;руководителем&gt;");
    expect(texts(r)[1]).toContain("<b>1/1. Руководство по производству полетов</b>");
    r = await u.sendDocument(pdf("manual v2"), "manual-v2.pdf");
    r = await u.press("a:done");
    expect(texts(r)[0]).toContain("Все исправленные документы получены");
    r = await u.press("a:submit");
    expect(texts(r)[0]).toBe("✅ Отправлено. Решение о переходе к обследованию — в течение 2 рабочих дней.");
    const manual = await db.prisma.caseFile.findMany({ where: { itemId: "operations-manual" }, orderBy: { version: "asc" } });
    expect(manual.map((f) => [f.fileName, f.version])).toEqual([
      ["operations-manual.pdf", 1],
      ["manual-v2.pdf", 2],
    ]);
    await h.drain();
    expect(delivered(h, STAFF).at(-1)).toBe(
      "📨 <b>AOC-2026-000001</b> (ТОО «Тест Авиа»): сәйкессіздіктер жойылды. Кезең: сәйкессіздіктер жойылды — шешім күтілуде.",
    );
    notice = delivered(h, APPLICANT).at(-1)!;
    expect(notice).toContain("Далее: решение о переходе к обследованию — до 26.03.2026 (чт) 18:30.");

    // The decision to move to the inspection stage.
    r = await staffPress(staff, number, "to-inspection");
    await h.drain();
    notice = delivered(h, APPLICANT).at(-1)!;
    expect(notice).toContain("Принято решение о переходе к этапу <b>сертификационного обследования</b>");
    expect(notice).toContain("Далее: Формирование комиссии по сертификационному обследованию — до 30.03.2026 (пн) 18:30.");

    // The commission and the dates: days off and a too long inspection are refused.
    r = await staffPress(staff, number, "schedule");
    expect(texts(r)).toContain("Комиссия құрамы (аты-жөні және лауазымы):");
    await staff.say("Ахметов А. (председатель), Садыкова Б.");
    await staff.say("23.03.2026");
    r = await staff.say("27.03.2026");
    expect(texts(r)[0]).toBe("Екі күн де жұмыс күні болуы керек. Күндерді қайта енгізіңіз.");
    await staff.say("26.03.2026");
    r = await staff.say("15.04.2026");
    expect(texts(r)[0]).toBe("Регламент бойынша тексеру 10 жұмыс күнінен аспайды. Күндерді қайта енгізіңіз.");
    await staff.say("26.03.2026");
    r = await staff.say("08.04.2026");
    expect(texts(r)[0]).toContain("Тексеру: 26.03.2026 (бс) — 08.04.2026 (ср)");
    await staff.press("x:ok");
    await h.drain();
    notice = delivered(h, APPLICANT).at(-1)!;
    expect(notice).toContain("Состав: Ахметов А. (председатель), Садыкова Б.");
    expect(notice).toContain("Даты обследования: с 26.03.2026 (чт) по 08.04.2026 (ср).");

    // The reminder the working day before the inspection: 23-25 March are Nauryz, so Friday 20.
    at("2026-03-19T17:00:00+05:00");
    expect(await h.background.runReminders()).toBe(0);
    at("2026-03-20T09:00:00+05:00");
    expect(await h.background.runReminders()).toBe(1);
    await h.drain();
    expect(delivered(h, APPLICANT).at(-1)).toContain("⏰ Напоминание: сертификационное обследование начинается <b>26.03.2026 (чт)</b>.");

    // The act, on its last day; then the plan is the applicant's, due 10 wd after the act.
    at("2026-04-08T16:00:00+05:00");
    r = await staffPress(staff, number, "act");
    r = await staff.press("x:today");
    expect(texts(r)[0]).toContain("Акт күні: 08.04.2026 (ср)");
    await staff.press("x:ok");
    await h.drain();
    notice = delivered(h, APPLICANT).at(-1)!;
    expect(notice).toContain("📝 Подписан акт сертификационного обследования (08.04.2026 (ср)).");
    expect(notice).toContain("⏳ За вами: срок — <b>22.04.2026 (ср) 18:30</b>.");
    at("2026-04-17T10:00:00+05:00");
    expect(await h.background.runReminders()).toBe(1);
    await h.drain();
    expect(delivered(h, APPLICANT).at(-1)).toContain("представьте план корректирующих мероприятий до <b>22.04.2026 (ср) 18:30</b>");

    r = await pressNoticeButton(h, u, "p:plan:");
    expect(texts(r)[0]).toContain("<b>1/1. План корректирующих мероприятий</b>");
    r = await u.sendDocument(pdf("not a plan").subarray(0, 3), "plan.pdf");
    expect(texts(r)[0]).toContain("PDF, DOCX");
    await u.sendDocument(docx(), "plan.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    await u.press("a:done");
    r = await u.press("a:submit");
    expect(texts(r)[0]).toBe("✅ План представлен и передан на проверку.");

    for (const action of ["approve-plan", "prepare"]) await staffPress(staff, number, action);
    r = await staffPress(staff, number, "issue");
    r = await staff.say("<b>");
    expect(texts(r)[0]).toContain("Мәтін жарамсыз");
    await staff.say("KZ-AOC 0042");
    r = await staff.say("01.05.2026");
    expect(texts(r)[0]).toBe("Күн болашақта болмауы керек.");
    await staff.press("x:today");
    r = await staff.press("x:ok");
    expect(texts(r)[0]).toContain("«берілді» кезеңі");
    await h.drain();
    const notices = delivered(h, APPLICANT);
    expect(notices.at(-3)).toContain("План корректирующих мероприятий утверждён");
    expect(notices.at(-2)).toContain("Результат подготовлен, согласован и передан на подпись.");
    expect(notices.at(-1)).toContain("🏅 Готово: Сертификат эксплуатанта.\nНомер: <b>KZ-AOC 0042</b>, дата выдачи: 17.04.2026 (пт).");

    const c = await db.prisma.case.findUniqueOrThrow({ where: { number }, include: { events: { orderBy: { id: "asc" } } } });
    expect(c).toMatchObject({ stage: "issued", certificateNo: "KZ-AOC 0042", executorId: BigInt(STAFF) });
    expect(c.closedAt?.toISOString()).toBe("2026-04-17T05:00:00.000Z");
    expect(c.events.map((e) => e.type)).toEqual([
      "submitted",
      "assign",
      "nonconformities",
      "remove-nonconformities",
      "to-inspection",
      "schedule",
      "act",
      "submit-plan",
      "approve-plan",
      "prepare",
      "issue",
    ]);
    expect(c.events.map((e) => e.actorId)).toEqual([APPLICANT, STAFF, STAFF, APPLICANT, STAFF, STAFF, STAFF, APPLICANT, STAFF, STAFF, STAFF].map(BigInt));

    // The applicant's card: every step done, nothing due.
    r = await u.press(`c:${c.id}`);
    expect(texts(r)[0]).toContain("Этап: выдано");
    expect(texts(r)[0]).toContain("Номер документа: <b>KZ-AOC 0042</b>");
    expect(texts(r)[0]).not.toContain("Далее:");
    expect(texts(r)[0]).toContain("• Руководство по производству полетов: 1 (версия 2)");
    // No message was sent twice, and none is left in the outbox.
    expect(await db.prisma.outbox.count({ where: { status: { not: "sent" } } })).toBe(0);
    void admin;
  });
});

describe("the other services, a refusal and a duplicate (applicants in Kazakh)", () => {
  it.each([
    ["aerial-work", "AW-2026-000001", "Авиациялық жұмыстарға куәлік"],
    ["ga-flights", "GA-2026-000001", "ЖМА ұшу құқығына куәлік"],
  ] as const)("%s: issuance from submission to issued, each stage told in Kazakh; no non-conformities stage", async (serviceId, expectedNumber, shortTitle) => {
    const { staff } = await withStaff();
    const u = h.user(APPLICANT, "kk");
    const number = await submitThroughBot(h, u, serviceId, "issuance", "kk");
    expect(number).toBe(expectedNumber);

    let r = await staffPress(staff, number, "assign");
    expect(
      allButtons(r)
        .map((b) => b.data?.split(":")[3])
        .filter(Boolean),
    ).toEqual(["to-inspection", "refuse"]);
    const told: string[] = [];
    const step = async (action: string, inputs: Array<string | { press: string }> = []) => {
      await staffPress(staff, number, action);
      for (const i of inputs) await (typeof i === "string" ? staff.say(i) : staff.press(i.press));
      if (inputs.length) await staff.press("x:ok");
      await h.drain();
      told.push(delivered(h, APPLICANT).at(-1)!);
    };
    await step("to-inspection");
    await step("schedule", ["Комиссия: Ахметов А.", "10.03.2026", "11.03.2026"]);
    at("2026-03-11T15:00:00+05:00");
    await step("act", [{ press: "x:today" }]);
    await pressNoticeButton(h, u, "p:plan:");
    await u.sendDocument(pdf("plan"), "жоспар.pdf");
    await u.press("a:done");
    r = await u.press("a:submit");
    expect(texts(r)[0]).toBe("✅ Жоспар ұсынылып, тексеруге берілді.");
    await step("approve-plan");
    await step("prepare");
    await step("issue", [`${serviceId.toUpperCase()}-77`, { press: "x:today" }]);

    expect(told[0]).toContain("<b>Сертификаттық тексеру</b> кезеңіне өту туралы шешім қабылданды");
    expect(told[1]).toContain("Тексеру күндері: 10.03.2026 (сс) – 11.03.2026 (ср).");
    expect(told[2]).toContain("Сертификаттық тексеру актісіне қол қойылды (11.03.2026 (ср))");
    expect(told[2]).toContain("⏳ Сіздің кезегіңіз: мерзімі —");
    expect(told[3]).toContain("Түзету іс-шаралары жоспары бекітілді");
    expect(told[4]).toContain("Нәтиже дайындалып, келісілді және қол қоюға берілді.");
    expect(told[5]).toContain(`🏅 Дайын: ${shortTitle}.\nНөмірі: <b>${serviceId.toUpperCase()}-77</b>, берілген күні: 11.03.2026 (ср).`);
    for (const text of told) expect(text).toMatch(/[әғқңөұүһі]/);
    expect((await db.prisma.case.findUniqueOrThrow({ where: { number } })).stage).toBe("issued");
  });

  it("a refusal with the reasons, shown to the applicant as typed (escaped), closes the case", async () => {
    const { staff } = await withStaff();
    const u = h.user(APPLICANT, "ru");
    const number = await submitThroughBot(h, u, "aoc", "issuance", "ru");
    await staffPress(staff, number, "assign");
    let r = await staffPress(staff, number, "refuse");
    expect(texts(r)).toContain("Бас тарту негіздемесі, стандарт тармағына сілтемемен (мұны өтініш беруші көреді):");
    r = await staff.say("п.10");
    expect(texts(r)[0]).toContain("Мәтін жарамсыз");
    await staff.say("Стандарт п.10: нет договора страхования <ответственности>");
    r = await staff.press("x:ok");
    expect(texts(r)[0]).toContain("«бас тартылды» кезеңі");
    await h.drain();
    const notice = delivered(h, APPLICANT).at(-1)!;
    expect(notice).toContain("⛔ В оказании услуги отказано.\nОбоснование: Стандарт п.10: нет договора страхования &lt;ответственности&gt;");
    expect(notice).not.toContain("Далее:");
    const c = await db.prisma.case.findUniqueOrThrow({ where: { number } });
    expect(c.stage).toBe("refused");
    expect(c.closedAt).not.toBeNull();
    // A closed case offers no action any more.
    r = await staff.say(`/case ${number}`);
    expect(allButtons(r).filter((b) => b.data?.startsWith("s:a:"))).toEqual([]);
  });

  it("a duplicate: submitted → in review → issued, without any inspection stage", async () => {
    const { staff } = await withStaff();
    const u = h.user(APPLICANT, "kk");
    const number = await submitThroughBot(h, u, "ga-flights", "duplicate", "kk");
    let r = await staffPress(staff, number, "assign");
    expect(
      allButtons(r)
        .map((b) => b.data?.split(":")[3])
        .filter(Boolean),
    ).toEqual(["issue", "refuse"]);
    await h.drain();
    expect(delivered(h, APPLICANT).at(-1)).toContain("Келесі қадам: Телнұсқаны дайындау — 06.03.2026 (жм) 18:30 дейін.");
    r = await staffPress(staff, number, "issue");
    await staff.say("GA-D-5");
    await staff.press("x:today");
    await staff.press("x:ok");
    await h.drain();
    expect(delivered(h, APPLICANT).at(-1)).toContain("Нөмірі: <b>GA-D-5</b>, берілген күні: 05.03.2026 (бс).");
    const c = await db.prisma.case.findUniqueOrThrow({ where: { number }, include: { events: true } });
    expect(c.events.map((e) => e.type)).toEqual(["submitted", "assign", "issue"]);
  });
});

describe("notices that cannot be sent at once, and a staff group chat", () => {
  it("a notice refused by Telegram (5xx, network) is retried until it goes, once", async () => {
    const { staff } = await withStaff();
    const u = h.user(APPLICANT, "ru");
    const number = await submitThroughBot(h, u, "aoc", "duplicate", "ru");
    let failures = 0;
    h.tg.fail = (method, p) =>
      method === "sendMessage" && p.chat_id === APPLICANT && failures++ < 2 ? { error_code: 502, description: "Bad Gateway" } : undefined;
    const before = h.tg.messagesTo(APPLICANT).length;
    await staffPress(staff, number, "assign");
    await h.drain();
    expect(failures).toBe(3);
    const got = delivered(h, APPLICANT, before);
    expect(got).toHaveLength(1);
    expect(got[0]).toContain("принята в работу");
    const row = await db.prisma.outbox.findFirstOrThrow({ where: { chatId: BigInt(APPLICANT) } });
    expect(row).toMatchObject({ status: "sent", attempts: 3 });
  });

  it("someone who never chose a language is written to in their Telegram client's language", async () => {
    const admin = h.user(ADMIN, "ru");
    await admin.say("/start");
    await h.user(905, "ru").say("/start");
    await h.user(906).say("/start");
    await admin.say("/staff add 905");
    await admin.say("/staff add 906");
    await h.drain();
    expect(delivered(h, 905).at(-1)).toBe("Вам назначена роль сотрудника Qanat. Команды: /queue, /case, /broadcast.");
    expect(delivered(h, 906).at(-1)).toBe("Сізге Qanat қызметкері рөлі берілді. Командалар: /queue, /case, /broadcast.");
  });

  it("with STAFF_CHAT_ID the staff group is told, in both languages, instead of each member", async () => {
    h = await createHarness(db, { now: new Date("2026-03-05T10:00:00+05:00"), adminIds: [ADMIN], staffChatId: -1001234 });
    await withStaff();
    await submitThroughBot(h, h.user(APPLICANT, "ru"), "ga-flights", "issuance", "ru");
    await h.drain();
    const group = delivered(h, -1001234);
    expect(group).toHaveLength(1);
    expect(group[0]).toContain("🆕 Жаңа өтінім <b>GA-2026-000001</b>");
    expect(group[0]).toContain("🆕 Новая заявка <b>GA-2026-000001</b>");
    expect(delivered(h, STAFF).some((t) => t.includes("GA-2026-000001"))).toBe(false);
  });
});
