// Drives whole cases through the bot: an applicant submits through the conversation (by the
// buttons' callback data, whatever the language), staff act through /case and its buttons.
import { expect } from "vitest";
import type { ServiceId, Variant } from "../../flows/catalog/schema.js";
import { allButtons, buttonsOf, type ApiCall, type FakeUser } from "./fake-telegram.js";
import type { Harness } from "./harness.js";
import { VALID_BIN, pdf } from "./samples.js";

export async function submitThroughBot(h: Harness, u: FakeUser, serviceId: ServiceId, variant: Variant, lang: "kk" | "ru"): Promise<string> {
  await u.say("/start");
  await u.press(`l:${lang}`);
  await u.press("m:new");
  await u.press(`a:svc:${serviceId}`);
  await u.press(`a:var:${variant}`);
  let r = await u.press("a:go");
  if (allButtons(r).some((b) => b.data === "a:type:legal")) r = await u.press("a:type:legal");
  await u.say(VALID_BIN);
  await u.say(lang === "ru" ? "ТОО «Тест Авиа»" : "«Тест Авиа» ЖШС");
  await u.shareContact("77012345678");
  r = await u.press("a:skip");
  const sv = h.deps.catalog.get(serviceId, variant);
  for (const item of sv.checklist) {
    if (!item.required) {
      r = await u.press("a:skip");
      continue;
    }
    r = await u.sendDocument(pdf(`${serviceId} ${item.id}`), `${item.id}.pdf`);
    if (item.multiple) r = await u.press("a:done");
  }
  r = await u.press("a:submit");
  const number = /([A-Z]{2,4}-\d{4}-\d{6})/.exec(r.map((c) => c.payload.text ?? "").join("\n"))?.[1];
  expect(number, "a registration number after submitting").toBeDefined();
  return number!;
}

/** The callback data of the action button on the staff card, as the client would send it. */
export function actionButton(calls: ApiCall[], actionId: string): string {
  const b = allButtons(calls).find((x) => x.data?.startsWith("s:a:") && x.data.split(":")[3] === actionId);
  if (!b)
    throw new Error(
      `no "${actionId}" button among: ${allButtons(calls)
        .map((x) => x.data)
        .join(" | ")}`,
    );
  return b.data!;
}

/** Opens the case card as staff and presses an action. */
export async function staffPress(staff: FakeUser, number: string, actionId: string): Promise<ApiCall[]> {
  const card = await staff.say(`/case ${number}`);
  return staff.press(actionButton(card, actionId));
}

/** Texts of the messages the sender delivered to a chat since `from`. */
export function delivered(h: Harness, chatId: number, from = 0): string[] {
  return h.tg
    .messagesTo(chatId)
    .slice(from)
    .map((c) => c.payload.text as string);
}

/** Presses the button of the latest notice that carries one starting with `prefix` (e.g. "p:fix:"). */
export function pressNoticeButton(h: Harness, u: FakeUser, prefix: string): Promise<ApiCall[]> {
  const data = h.tg
    .messagesTo(u.id)
    .flatMap((c) => buttonsOf(c))
    .map((b) => b.data)
    .findLast((d) => d?.startsWith(prefix));
  if (!data) throw new Error(`no notice with a "${prefix}" button`);
  return u.press(data);
}
