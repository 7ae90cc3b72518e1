// The case card, for the applicant (own case) and for staff (with the applicant's details and
// who did what). The dates come from the lifecycle and the timeline, never from storage.
import type { ServiceVariant } from "../../flows/catalog/load.js";
import { caseTimeline, currentDeadline, dataOf, lastEvent } from "../../flows/workflow/lifecycle.js";
import type { Deps } from "../context.js";
import { formatDateTime, formatDayKey, formatTimeline } from "../format.js";
import { escapeHtml, type Lang, type Translate } from "../i18n.js";
import { currentFiles, type CaseDetail, type CaseSummary } from "../store/cases.js";

const raw = { interpolation: { escapeValue: false } } as const;

/** The current deadline as one line ("" on a closed case), marked when it has passed. */
export function deadlineText(deps: Deps, t: Translate, lang: Lang, c: CaseSummary, sv: ServiceVariant = deps.catalog.stored(c.serviceId, c.variant)): string {
  const d = currentDeadline(deps.lifecycle, deps.calendar, sv, c);
  if (!d) return "";
  const overdue = d.due < deps.now();
  return t(d.owner === "applicant" ? "deadline.applicant" : "deadline.provider", {
    what: d.step?.title[lang] ?? t(`stageTask.${c.stage}`),
    due: formatDateTime(t, d.due),
    overdue: overdue ? t("deadline.overdue") : "",
    ...raw,
  });
}

export function caseCardText(deps: Deps, t: Translate, lang: Lang, c: CaseDetail, audience: "applicant" | "staff"): string {
  const sv = deps.catalog.stored(c.serviceId, c.variant);
  const history = c.events.map((e) => {
    const actor = audience === "staff" && e.actorId !== null && e.actorId !== c.userId ? ` [${e.actorId}]` : "";
    return `• ${formatDateTime(t, e.at)}: ${t(`event.${e.type}`)}${actor}${e.comment ? ` — ${escapeHtml(e.comment)}` : ""}`;
  });
  const current = currentFiles(c.files);
  const docs = [...new Set(c.files.map((f) => f.itemId))].map((itemId) => {
    const files = current.filter((f) => f.itemId === itemId);
    const version = files[0]!.version;
    return `• ${deps.catalog.itemOf(sv, itemId).name[lang]}: ${files.length}${version > 1 ? ` (${t("card.version", { version })})` : ""}`;
  });
  const lines = [
    t("card.title", { number: c.number }),
    t("card.service", { service: sv.service.title[lang], variant: t(`variant.${c.variant}`), ...raw }),
    t("card.stage", { stage: t(`stage.${c.stage}`), ...raw }),
    t("card.submitted", { at: formatDateTime(t, c.submittedAt), ...raw }),
  ];
  if (c.certificateNo) lines.push(t("card.certificate", { number: c.certificateNo }));
  if (audience === "staff") {
    lines.push(t("card.applicant", { name: c.name, type: t(`applicantType.${c.applicantType}`), idNumber: c.idNumber, phone: c.phone, email: c.email ?? "—" }));
    if (c.executorId) lines.push(t("card.executor", { id: String(c.executorId) }));
  }
  const deadline = deadlineText(deps, t, lang, c, sv);
  if (deadline) lines.push("", deadline);
  const schedule = lastEvent(c, "schedule");
  if (schedule && !deps.lifecycle.isFinal(c.stage)) {
    const d = dataOf(schedule) as { start?: string; end?: string; commission?: string };
    if (d.start && d.end)
      lines.push(t("card.inspection", { start: formatDayKey(t, d.start), end: formatDayKey(t, d.end), commission: escapeHtml(d.commission ?? ""), ...raw }));
  }
  lines.push(
    "",
    t("card.steps"),
    formatTimeline(t, lang, caseTimeline(deps.calendar, sv, c)),
    "",
    t("card.documents"),
    ...docs,
    "",
    t("card.history"),
    ...history,
  );
  return lines.join("\n");
}
