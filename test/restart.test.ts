import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { button, texts } from "./helpers/fake-telegram.js";
import { beginApplication } from "./helpers/flows.js";
import { createHarness } from "./helpers/harness.js";
import { openTestDatabase } from "./helpers/database.js";
import { VALID_BIN, pdf } from "./helpers/samples.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "qanat-restart-"));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe("a half-finished application survives a restart", () => {
  it("a new bot process on the same database continues where the applicant was", async () => {
    const dbDir = path.join(dir, "pglite");
    let db = await openTestDatabase({ dir: dbDir });
    const h = await createHarness(db);
    const u = h.user(9001, "ru");
    let r = await beginApplication(u, "Сертификат эксплуатанта", "Выдача", "Начать");
    await u.say(VALID_BIN);
    await u.say("АО Перезапуск");
    await u.say("+77015550000");
    await u.press("a:skip");
    await u.sendDocument(pdf("app"), "app.pdf");
    r = await u.sendDocument(pdf("pay"), "pay.pdf");
    r = await u.sendDocument(pdf("manual-1"), "manual-1.pdf");
    expect(texts(r)[0]).toContain("1. manual-1.pdf");

    // The process dies: the database is closed and opened again from its directory.
    await db.close();
    db = await openTestDatabase({ dir: dbDir });
    await h.restart(db);

    // The conversation is where it was: inside item 3, with its first file.
    r = await u.sendDocument(pdf("manual-2"), "manual-2.pdf");
    expect(texts(r)[0]).toContain("1. manual-1.pdf");
    expect(texts(r)[0]).toContain("2. manual-2.pdf");
    r = await u.press(button(r, "Готово"));
    expect(texts(r)[0]).toContain("Документ 4 / 9");
    const draft = await db.prisma.draft.findFirstOrThrow({ include: { files: { orderBy: { id: "asc" } } } });
    expect(draft).toMatchObject({ idNumber: VALID_BIN, name: "АО Перезапуск", phone: "+77015550000", phase: "documents", itemIndex: 3 });
    expect(draft.files.map((f) => f.fileName)).toEqual(["app.pdf", "pay.pdf", "manual-1.pdf", "manual-2.pdf"]);
    await db.close();
  });

  it("when the stored conversation is gone (e.g. after a version bump), the draft resumes at its part", async () => {
    const db = await openTestDatabase();
    const h = await createHarness(db);
    const u = h.user(9002, "kk");
    let r = await beginApplication(u, "Пайдаланушы сертификаты", "Беру", "Бастау");
    await u.say(VALID_BIN);
    await db.prisma.conversationState.deleteMany();
    await h.restart();
    r = await u.say("сәлем");
    expect(texts(r)).toEqual(["Ұйымның толық атауын енгізіңіз."]);
    r = await u.say("«Қанат» АҚ");
    expect(texts(r)[0]).toContain("Байланыс телефонын көрсетіңіз");
    await db.close();
  });
});
