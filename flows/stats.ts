// Statistics over a set of cases, as a pure function: the figures /stats shows and the chart
// draws. The figures are about the cases submitted in the period (a cohort): how many, where
// they are now, how they ended, and how fast against the regulation's term.
import { dayKeyOf, type DayKey } from "./calendar/kz-time.js";
import type { WorkingCalendar } from "./calendar/working-calendar.js";
import type { Catalog } from "./catalog/load.js";
import { SERVICE_IDS, VARIANTS, type ServiceId, type Variant } from "./catalog/schema.js";
import { computeTimeline } from "./timeline.js";
import { caseTimeline, currentDeadline, type CaseState, type Lifecycle } from "./workflow/lifecycle.js";

export interface StatsCase extends CaseState {
  serviceId: string;
  variant: string;
  closedAt: Date | null;
}

export interface StatsRow {
  serviceId: ServiceId;
  variant: Variant;
  submitted: number;
  openByStage: Record<string, number>;
  open: number;
  issued: number;
  refused: number;
  overdue: number;
  /** median working days from submission to the result (issued or refused), null when none ended */
  medianDays: number | null;
  /** the regulation's term in working days (the planned timeline of a case submitted now) */
  legalDays: number;
  stepsDone: number;
  stepsOnTime: number;
}

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function computeStats(p: {
  cases: StatsCase[];
  from?: DayKey;
  to?: DayKey;
  now: Date;
  calendar: WorkingCalendar;
  catalog: Catalog;
  lifecycle: Lifecycle;
}): StatsRow[] {
  const inPeriod = p.cases.filter((c) => {
    const day = dayKeyOf(c.submittedAt);
    return (!p.from || day >= p.from) && (!p.to || day <= p.to);
  });
  const rows: StatsRow[] = [];
  for (const serviceId of SERVICE_IDS) {
    for (const variant of VARIANTS) {
      const sv = p.catalog.get(serviceId, variant);
      const cases = inPeriod.filter((c) => c.serviceId === serviceId && c.variant === variant);
      const openByStage: Record<string, number> = {};
      let overdue = 0;
      let stepsDone = 0;
      let stepsOnTime = 0;
      const days: number[] = [];
      for (const c of cases) {
        if (!p.lifecycle.isFinal(c.stage)) {
          openByStage[c.stage] = (openByStage[c.stage] ?? 0) + 1;
          const d = currentDeadline(p.lifecycle, p.calendar, sv, c);
          if (d && d.due < p.now) overdue++;
        } else if (c.closedAt) {
          days.push(p.calendar.workingDaysBetween(c.submittedAt, c.closedAt));
        }
        for (const step of caseTimeline(p.calendar, sv, c).steps) {
          if (!step.doneAt) continue;
          stepsDone++;
          if (step.doneAt <= step.due) stepsOnTime++;
        }
      }
      rows.push({
        serviceId,
        variant,
        submitted: cases.length,
        openByStage,
        open: Object.values(openByStage).reduce((a, b) => a + b, 0),
        issued: cases.filter((c) => c.stage === "issued").length,
        refused: cases.filter((c) => c.stage === "refused").length,
        overdue,
        medianDays: median(days),
        legalDays: p.calendar.workingDaysBetween(p.now, computeTimeline(p.calendar, sv, p.now).due),
        stepsDone,
        stepsOnTime,
      });
    }
  }
  return rows;
}
