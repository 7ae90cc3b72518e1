// The texts the bot sends on its own (not as a reply): to the applicant when their case moves
// or a deadline nears, to staff when a case arrives or an applicant acts. Rendered in each
// recipient's language when the change is committed, then stored in the outbox.
import { InlineKeyboard } from "grammy";
import type { WorkingCalendar } from "../flows/calendar/working-calendar.js";
import type { Catalog } from "../flows/catalog/load.js";
import { currentDeadline, dataOf, type CaseEventLike, type Lifecycle, type Reminder } from "../flows/workflow/lifecycle.js";
import { cb } from "./callbacks.js";
import { formatDate, formatDateTime, formatDayKey } from "./format.js";
import { LANGUAGES, isLang, type I18n, type Lang, type Translate } from "./i18n.js";
import type { OutgoingMessage } from "./outbox/outbox.js";

export interface NoticeDeps {
  i18n: I18n;
  catalog: Catalog;
  calendar: WorkingCalendar;
  lifecycle: Lifecycle;
}

export interface CaseForNotice {
  id: number;
  number: string;
  serviceId: string;
  variant: string;
  stage: string;
  submittedAt: Date;
  userId: bigint;
  userLanguage: string | null;
  name: string;
  events: Array<CaseEventLike & { comment?: string | null }>;
}

export interface StaffRecipient {
  chatId: bigint;
  /** null: a group chat, which gets both languages */
  language: Lang | null;
}

const raw = { interpolation: { escapeValue: false } } as const;
const langOf = (l: string | null): Lang => (isLang(l) ? l : "kk");

/** "Next: <step> by <date>" or "You must act by <date>", from the case as it is now. */
export function deadlineLine(d: NoticeDeps, lang: Lang, c: CaseForNotice): string {
  const t = d.i18n.t(lang);
  const sv = d.catalog.stored(c.serviceId, c.variant);
  const deadline = currentDeadline(d.lifecycle, d.calendar, sv, c);
  if (!deadline) return "";
  if (deadline.owner === "applicant") return t("notice.youOwe", { due: formatDateTime(t, deadline.due), ...raw });
  return t("notice.next", { step: deadline.step?.title[lang] ?? t(`stageTask.${c.stage}`), due: formatDateTime(t, deadline.due), ...raw });
}

/** What the stage change means for the applicant, with what they owe and by when. */
export function applicantNotice(d: NoticeDeps, c: CaseForNotice, event: CaseEventLike & { comment?: string | null }): OutgoingMessage {
  const lang = langOf(c.userLanguage);
  const t = d.i18n.t(lang);
  const sv = d.catalog.stored(c.serviceId, c.variant);
  const data = dataOf(event) as Record<string, unknown> & ReturnType<typeof dataOf>;
  const itemNames = (data.items ?? []).map((id) => `• ${sv.checklist.find((i) => i.id === id)?.name[lang] ?? id}`).join("\n");
  const body = t(`notice.stage.${c.stage}`, {
    number: c.number,
    service: sv.service.shortTitle[lang],
    items: itemNames,
    comment: event.comment ?? "",
    commission: String(data.commission ?? ""),
    start: data.start ? formatDayKey(t, data.start) : "",
    end: data.end ? formatDayKey(t, data.end) : "",
    actDate: data.actDate ? formatDayKey(t, String(data.actDate)) : "",
    certificateNo: String(data.certificateNo ?? ""),
    issuedOn: data.issuedOn ? formatDayKey(t, String(data.issuedOn)) : "",
  });
  const lines = [t("notice.title", { number: c.number }), body];
  const next = deadlineLine(d, lang, c);
  if (next) lines.push("", next);
  return { chatId: c.userId, kind: "notice", caseId: c.id, text: lines.join("\n"), replyMarkup: applicantButtons(d, lang, c) };
}

/** A button for each task the applicant has at the case's stage (one row each). */
export function taskButtons(
  lifecycle: Lifecycle,
  catalog: Catalog,
  t: Translate,
  c: { id: number; serviceId: string; variant: string; stage: string },
): InlineKeyboard {
  const kb = new InlineKeyboard();
  for (const task of lifecycle.applicantTasks(catalog.stored(c.serviceId, c.variant), c.stage))
    kb.text(t(`notice.button.${task}`), cb.applicant(task, c.id)).row();
  return kb;
}

function applicantButtons(d: NoticeDeps, lang: Lang, c: CaseForNotice): InlineKeyboard {
  const t = d.i18n.t(lang);
  return taskButtons(d.lifecycle, d.catalog, t, c).text(t("notice.button.open"), cb.case(c.id));
}

export function reminderNotice(d: NoticeDeps, c: CaseForNotice, reminder: Reminder): OutgoingMessage {
  const lang = langOf(c.userLanguage);
  const t = d.i18n.t(lang);
  const text = [
    t("notice.title", { number: c.number }),
    t(`reminder.${reminder.kind}`, {
      days: reminder.daysBefore,
      due: reminder.kind === "inspection" ? formatDate(t, reminder.due) : formatDateTime(t, reminder.due),
      ...raw,
    }),
  ].join("\n");
  return { chatId: c.userId, kind: "reminder", caseId: c.id, text, replyMarkup: applicantButtons(d, lang, c), dedupeKey: `reminder:${c.id}:${reminder.key}` };
}

/** To each staff member in their language, or to the staff group in both. */
export function staffNotice(
  d: NoticeDeps,
  recipients: StaffRecipient[],
  c: CaseForNotice,
  what: "submitted" | "applicant-acted",
  event?: CaseEventLike,
): OutgoingMessage[] {
  const render = (lang: Lang) => {
    const t = d.i18n.t(lang);
    const sv = d.catalog.stored(c.serviceId, c.variant);
    return t(`staffNotice.${what}`, {
      number: c.number,
      service: sv.service.shortTitle[lang],
      variant: t(`variant.${c.variant}`),
      name: c.name,
      action: event ? t(`action.${event.type}`) : "",
      stage: t(`stage.${c.stage}`),
    });
  };
  return recipients.map((r) => {
    const langs = r.language ? [r.language] : [...LANGUAGES];
    const t = d.i18n.t(langs[0]!);
    return {
      chatId: r.chatId,
      kind: "staff" as const,
      caseId: c.id,
      text: langs.map(render).join("\n\n"),
      replyMarkup: new InlineKeyboard().text(t("staff.open", { number: c.number }), cb.staffCase(c.id)),
    };
  });
}
