import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { texts, button, lastMessage, allButtons } from "./helpers/fake-telegram.js";
import { createHarness, type Harness } from "./helpers/harness.js";
import { openTestDatabase, resetDatabase } from "./helpers/database.js";
import { pdf, jpeg, VALID_BIN } from "./helpers/samples.js";
import type { Database } from "../bot/store/database.js";

let db: Database;
let h: Harness;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => db.close());
beforeEach(async () => {
  await resetDatabase(db);
  h = await createHarness(db);
});

describe("smoke", () => {
  it("runs /start", async () => {
    const u = h.user(1001, "ru");
    const calls = await u.say("/start");
    console.log(JSON.stringify(calls, null, 1));
    let r = await u.press("l:ru");
    console.log(texts(r));
    r = await u.press("m:new");
    console.log(texts(r), allButtons(r));
    r = await u.press(button(r, "Сертификат эксплуатанта"));
    console.log(texts(r), allButtons(r));
    r = await u.press(button(r, "Выдача"));
    console.log(texts(r), allButtons(r));
    r = await u.press(button(r, "Начать"));
    console.log(texts(r), allButtons(r));
    r = await u.say("123");
    console.log(texts(r));
    r = await u.say(VALID_BIN);
    console.log(texts(r));
  });
});
