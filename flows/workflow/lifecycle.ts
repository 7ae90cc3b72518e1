// The case lifecycle as data (data/lifecycle.json) and the pure functions that read it: which
// actions a stage allows, which steps they complete, what is due now and who owes it, which
// reminders are due. No Telegram, no database.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { atLocal, dayKeyOf, type DayKey } from "../calendar/kz-time.js";
import type { WorkingCalendar } from "../calendar/working-calendar.js";
import type { ServiceVariant } from "../catalog/load.js";
import { SERVICE_IDS, VARIANTS } from "../catalog/schema.js";
import { DataFileError, parseDataFile } from "../data-file.js";
import { applyTerm, computeTimeline, nextDue, type Timeline, type TimelineStep } from "../timeline.js";

/** The stage whose inspection start the applicant is reminded of. */
export const INSPECTION_STAGE = "inspection-scheduled";

/** What the applicant does through the bot, by the input of the action that does it. */
export const APPLICANT_TASKS = { fix: "replace-documents", plan: "corrective-plan" } as const;
export type ApplicantTask = keyof typeof APPLICANT_TASKS;

export const ACTION_INPUTS = ["nonconformities", "replace-documents", "inspection", "act", "corrective-plan", "certificate", "reasons"] as const;
export type ActionInput = (typeof ACTION_INPUTS)[number];

const term = z.object({ value: z.number().positive(), unit: z.enum(["minutes", "hours", "workingDays"]) });

const lifecycleSchema = z.object({
  source: z.string(),
  stages: z.record(
    z.string().regex(/^[a-z][a-z-]*$/),
    z.object({
      waitsFor: z.enum(["provider", "applicant"]).optional(),
      final: z.boolean().default(false),
      /** a term of the stage itself, counted from entering it (e.g. 10 wd to remove non-conformities) */
      term: term.optional(),
      remindDaysBefore: z.array(z.number().int().positive()).default([]),
      source: z.string().optional(),
    }),
  ),
  inspectionReminderDaysBefore: z.number().int().positive(),
  actions: z.array(
    z.object({
      id: z.string().regex(/^[a-z][a-z-]*$/),
      by: z.enum(["staff", "applicant"]),
      variants: z.array(z.enum(VARIANTS)).default([...VARIANTS]),
      services: z.array(z.enum(SERVICE_IDS)).default([...SERVICE_IDS]),
      from: z.array(z.string()).min(1),
      to: z.string(),
      input: z.enum(ACTION_INPUTS).optional(),
      /** catalog steps this action ends (those a service does not have are ignored) */
      completes: z.array(z.string()).default([]),
      source: z.string().optional(),
    }),
  ),
});

type LifecycleData = z.infer<typeof lifecycleSchema>;
export type ActionDef = LifecycleData["actions"][number];
export type StageDef = LifecycleData["stages"][string];

export const lifecycleFile = path.join(path.dirname(fileURLToPath(import.meta.url)), "data", "lifecycle.json");

export class Lifecycle {
  constructor(readonly data: LifecycleData) {}

  stage(id: string): StageDef {
    const s = this.data.stages[id];
    if (!s) throw new Error(`unknown stage ${id}`);
    return s;
  }

  stages(): string[] {
    return Object.keys(this.data.stages);
  }

  openStages(): string[] {
    return this.stages().filter((s) => !this.data.stages[s]!.final);
  }

  isFinal(stage: string): boolean {
    return this.stage(stage).final;
  }

  /** The actions `by` may take on a case of this service and variant at this stage, in the data's order. */
  actionsFor(sv: Pick<ServiceVariant, "service" | "variant">, stage: string, by: ActionDef["by"]): ActionDef[] {
    return this.data.actions.filter((a) => a.by === by && a.from.includes(stage) && a.variants.includes(sv.variant) && a.services.includes(sv.service.id));
  }

  action(sv: Pick<ServiceVariant, "service" | "variant">, stage: string, id: string, by: ActionDef["by"]): ActionDef | undefined {
    return this.actionsFor(sv, stage, by).find((a) => a.id === id);
  }

  /** The applicant's action for a task at this stage (e.g. "fix" while non-conformities are open), if the stage has one. */
  applicantAction(sv: Pick<ServiceVariant, "service" | "variant">, stage: string, task: ApplicantTask): ActionDef | undefined {
    return this.actionsFor(sv, stage, "applicant").find((a) => a.input === APPLICANT_TASKS[task]);
  }

  /** The tasks the applicant has at this stage. */
  applicantTasks(sv: Pick<ServiceVariant, "service" | "variant">, stage: string): ApplicantTask[] {
    return (Object.keys(APPLICANT_TASKS) as ApplicantTask[]).filter((task) => this.applicantAction(sv, stage, task));
  }

  /** Stages in which the applicant is reminded of something: a deadline they owe, or the inspection. */
  reminderStages(): string[] {
    return this.stages().filter((s) => s === INSPECTION_STAGE || this.data.stages[s]!.remindDaysBefore.length > 0);
  }

  actionIds(): string[] {
    return [...new Set(this.data.actions.map((a) => a.id))];
  }
}

export function loadLifecycle(file = lifecycleFile): Lifecycle {
  const data = parseDataFile(file, lifecycleSchema);
  const problems: string[] = [];
  data.actions.forEach((a, i) => {
    for (const s of [...a.from, a.to]) if (!data.stages[s]) problems.push(`field "actions.${i}": stage "${s}" is not in "stages"`);
  });
  if (problems.length) throw new DataFileError(file, problems);
  return new Lifecycle(data);
}

/** What the lifecycle needs of a case: its stage, submission and the events that moved it. */
export interface CaseEventLike {
  type: string;
  at: Date;
  toStage: string | null;
  data: unknown;
}

export interface CaseState {
  stage: string;
  submittedAt: Date;
  events: CaseEventLike[];
}

const eventData = z
  .object({
    completes: z.array(z.string()).optional(),
    /** the real date of the completed steps when it is not the event's (e.g. the act's date) */
    doneAt: z.string().optional(),
    items: z.array(z.string()).optional(),
    start: z.string().optional(),
    end: z.string().optional(),
  })
  .loose();

export function dataOf(e: CaseEventLike): z.infer<typeof eventData> {
  const parsed = eventData.safeParse(e.data ?? {});
  return parsed.success ? parsed.data : {};
}

/** The real end of each step, from the transitions that completed it (the latest one wins). */
export function doneSteps(events: CaseEventLike[]): Map<string, Date> {
  const done = new Map<string, Date>();
  for (const e of events) {
    const d = dataOf(e);
    for (const step of d.completes ?? []) done.set(step, d.doneAt ? new Date(d.doneAt) : e.at);
  }
  return done;
}

/** When the case last entered `stage`. */
export function enteredAt(state: CaseState, stage = state.stage): Date {
  const e = [...state.events].reverse().find((x) => x.toStage === stage);
  return e?.at ?? state.submittedAt;
}

/** The last event of a type (e.g. the inspection's schedule, the non-conformities found). */
export function lastEvent<E extends { type: string }>(state: { events: E[] }, type: string): E | undefined {
  return [...state.events].reverse().find((e) => e.type === type);
}

export function caseTimeline(calendar: WorkingCalendar, sv: ServiceVariant, state: CaseState): Timeline {
  return computeTimeline(calendar, sv, state.submittedAt, doneSteps(state.events));
}

export interface Deadline {
  owner: "provider" | "applicant";
  due: Date;
  /** the step that is due, when the deadline is a step's */
  step?: TimelineStep;
}

/** What is due now on an open case, and who owes it. */
export function currentDeadline(lc: Lifecycle, calendar: WorkingCalendar, sv: ServiceVariant, state: CaseState): Deadline | undefined {
  const stage = lc.stage(state.stage);
  if (stage.final) return undefined;
  if (stage.term) return { owner: stage.waitsFor ?? "provider", due: applyTerm(calendar, enteredAt(state), stage.term) };
  const step = nextDue(caseTimeline(calendar, sv, state));
  if (!step) return undefined;
  return { owner: stage.waitsFor ?? step.owner, due: step.due, step };
}

export interface Obligation {
  /** the stage the applicant must act in, or "inspection" for the inspection's start */
  kind: string;
  due: Date;
  remindDaysBefore: number[];
}

/** What the applicant owes or must be ready for, with the reminders each deserves. */
export function applicantObligations(lc: Lifecycle, calendar: WorkingCalendar, sv: ServiceVariant, state: CaseState): Obligation[] {
  const stage = lc.stage(state.stage);
  if (stage.final) return [];
  if (state.stage === INSPECTION_STAGE) {
    const schedule = lastEvent(state, "schedule");
    const start = schedule ? dataOf(schedule).start : undefined;
    return start ? [{ kind: "inspection", due: atLocal(start, calendar.dayStart), remindDaysBefore: [lc.data.inspectionReminderDaysBefore] }] : [];
  }
  const deadline = currentDeadline(lc, calendar, sv, state);
  if (!deadline || deadline.owner !== "applicant" || !stage.remindDaysBefore.length) return [];
  return [{ kind: state.stage, due: deadline.due, remindDaysBefore: stage.remindDaysBefore }];
}

export interface Reminder {
  kind: string;
  due: Date;
  daysBefore: number;
  /** the same reminder has the same key, so it is stored (and sent) once */
  key: string;
}

/**
 * The reminders due at `now`: a reminder "n working days before" is due from the start of that
 * working day until the deadline. When several are due (the bot was down), only the closest
 * to the deadline is sent.
 */
export function remindersDue(calendar: WorkingCalendar, obligations: Obligation[], now: Date): Reminder[] {
  const out: Reminder[] = [];
  for (const o of obligations) {
    if (now >= o.due) continue;
    const dueDay: DayKey = dayKeyOf(o.due);
    const ready = [...o.remindDaysBefore].sort((a, b) => a - b).find((n) => atLocal(calendar.workingDaysBefore(dueDay, n), calendar.dayStart) <= now);
    if (ready === undefined) continue;
    out.push({ kind: o.kind, due: o.due, daysBefore: ready, key: `${o.kind}:${dueDay}:${ready}` });
  }
  return out;
}

export type ScheduleProblem = { problem: "past" | "order" | "not-working" } | { problem: "too-long"; maxDays: number };

/**
 * Checks the inspection dates a staff member enters: working days, not in the past, in order,
 * and no longer than the inspection's term in the regulation.
 */
export function checkInspectionDates(calendar: WorkingCalendar, sv: ServiceVariant, today: DayKey, start: DayKey, end: DayKey): ScheduleProblem | null {
  if (start < today) return { problem: "past" };
  if (end < start) return { problem: "order" };
  if (!calendar.isWorkingDay(start) || !calendar.isWorkingDay(end)) return { problem: "not-working" };
  const step = sv.steps.find((s) => s.id === "inspection");
  if (step?.term.unit === "workingDays") {
    const days = calendar.workingDaysBetween(atLocal(start, 0), atLocal(end, 0)) + 1;
    if (days > step.term.value) return { problem: "too-long", maxDays: step.term.value };
  }
  return null;
}
