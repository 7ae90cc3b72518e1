// The one function that says when each step of a case is due. Nothing stores a due date:
// every screen derives them from the submission and the steps that really happened.
import type { ServiceVariant } from "./catalog/load.js";
import type { StepDef, Text } from "./catalog/schema.js";
import type { WorkingCalendar } from "./calendar/working-calendar.js";

export interface TimelineStep {
  id: string;
  title: Text;
  owner: StepDef["owner"];
  /** latest date the step may end, from the real end of what it counts from, or its planned end */
  due: Date;
  /** when the step really ended, if it did */
  doneAt?: Date;
}

export interface Timeline {
  steps: TimelineStep[];
  /** the result's latest date */
  due: Date;
}

export function applyTerm(calendar: WorkingCalendar, from: Date, term: StepDef["term"]): Date {
  switch (term.unit) {
    case "workingDays":
      return calendar.addWorkingDays(from, term.value);
    case "hours":
      return calendar.addWorkingMinutes(from, term.value * 60);
    case "minutes":
      return calendar.addWorkingMinutes(from, term.value);
  }
}

/**
 * Planned timeline (every step at its longest, the applicant using all the time allowed), with
 * the real end of the steps that happened: each later due date counts from the real date.
 */
export function computeTimeline(
  calendar: WorkingCalendar,
  sv: Pick<ServiceVariant, "steps"> & { overallTerm?: StepDef["term"] },
  submittedAt: Date,
  done: ReadonlyMap<string, Date> = new Map(),
): Timeline {
  const cap = sv.overallTerm ? applyTerm(calendar, submittedAt, sv.overallTerm) : undefined;
  const ends = new Map<string, Date>();
  const steps: TimelineStep[] = [];
  let previousEnd = submittedAt;
  for (const step of sv.steps) {
    const anchor = step.from === "previous" ? previousEnd : step.from === "submission" ? submittedAt : ends.get(step.from)!;
    let due = applyTerm(calendar, anchor, step.term);
    if (cap && due > cap) due = cap;
    const doneAt = done.get(step.id);
    steps.push({ id: step.id, title: step.title, owner: step.owner, due, ...(doneAt ? { doneAt } : {}) });
    const end = doneAt ?? due;
    ends.set(step.id, end);
    previousEnd = end;
  }
  return { steps, due: steps[steps.length - 1]!.due };
}

/** The first step not done yet, i.e. the deadline that matters now. */
export function nextDue(timeline: Timeline): TimelineStep | undefined {
  return timeline.steps.find((s) => !s.doneAt);
}
