import { formatClock, formatDay, localParts } from "../flows/calendar/kz-time.js";
import type { Timeline } from "../flows/timeline.js";
import type { Lang, Translate } from "./i18n.js";

/** Every text is sent as HTML: the locales use <b>, and interpolated values are escaped. */
export const html = { parse_mode: "HTML" as const };

/** dd.mm.yyyy, the weekday, and the time, in Kazakhstan time (UTC+5). */
export function formatDateTime(t: Translate, at: Date): string {
  return t("date.dateTime", {
    day: formatDay(at),
    weekday: t(`weekday.${localParts(at).weekday}`),
    time: formatClock(at),
    interpolation: { escapeValue: false },
  });
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** One line per step: done ones with their real date, the others with their due date. */
export function formatTimeline(t: Translate, lang: Lang, timeline: Timeline): string {
  const lines = timeline.steps.map((s, i) =>
    s.doneAt
      ? t("timeline.stepDone", { n: i + 1, title: s.title[lang], at: formatDateTime(t, s.doneAt), interpolation: { escapeValue: false } })
      : t(s.owner === "applicant" ? "timeline.stepYours" : "timeline.stepDue", {
          n: i + 1,
          title: s.title[lang],
          due: formatDateTime(t, s.due),
          interpolation: { escapeValue: false },
        }),
  );
  return [...lines, "", t("timeline.resultDue", { due: formatDateTime(t, timeline.due), interpolation: { escapeValue: false } })].join("\n");
}

/** dd.mm.yyyy and the weekday of a Kazakhstan calendar day. */
export function formatDate(t: Translate, at: Date): string {
  return t("date.day", { day: formatDay(at), weekday: t(`weekday.${localParts(at).weekday}`), interpolation: { escapeValue: false } });
}

/** The same for a day key ("2026-03-05"). */
export function formatDayKey(t: Translate, day: string): string {
  return formatDate(t, new Date(`${day}T12:00:00+05:00`));
}

/** The accepted formats of a document as the applicant reads them: "PDF, JPG, PNG". */
export function formatList(formats: readonly string[]): string {
  return formats.map((f) => f.toUpperCase()).join(", ");
}
