// The work nobody's update waits for: the outbox sender, the reminders before the applicant's
// deadlines, and the progress and report of broadcasts.
import { brief } from "./logger.js";
import type { Api } from "grammy";
import { applicantObligations, remindersDue } from "../flows/workflow/lifecycle.js";
import type { Deps } from "./context.js";
import { languageOf } from "./i18n.js";
import { reminderNotice } from "./notices.js";
import { enqueue } from "./outbox/outbox.js";
import { OutboxSender } from "./outbox/sender.js";
import type { BroadcastCounts } from "./store/broadcasts.js";

export interface BackgroundOptions {
  sleep?: (ms: number) => Promise<void>;
  perSecond?: number;
  /** how often the reminders are computed */
  reminderEveryMs?: number;
  /** the least time between two edits of a broadcast's progress message */
  progressEveryMs?: number;
}

export function createBackground(deps: Deps, api: Api, options: BackgroundOptions = {}) {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const shown = new Map<number, { text: string; at: number }>();
  const db = deps.database.prisma;

  const progressText = (lang: "kk" | "ru", c: BroadcastCounts) => deps.i18n.t(lang)("broadcast.progress", { ...c, done: c.total - c.pending });

  async function broadcastProgress(): Promise<void> {
    for (const b of await deps.broadcasts.running()) {
      const counts = await deps.broadcasts.counts(b.id);
      const owner = await deps.users.get(b.createdBy);
      const lang = languageOf(owner);
      if (counts.pending === 0) {
        const t = deps.i18n.t(lang);
        const report = t("broadcast.report", { ...counts }) + (counts.uncertain ? t("broadcast.uncertain", { count: counts.uncertain }) : "");
        if (await deps.broadcasts.finish(b.id, report, deps.now())) deps.logger.info({ broadcastId: b.id, ...counts }, "broadcast finished");
        continue;
      }
      const text = progressText(lang, counts);
      const last = shown.get(b.id);
      const now = deps.now().getTime();
      if (!b.progressMsgId || last?.text === text || (last && now - last.at < (options.progressEveryMs ?? 3000))) continue;
      shown.set(b.id, { text, at: now });
      // Progress is a courtesy: a failed edit is not worth a retry.
      await api.editMessageText(Number(b.progressChatId), b.progressMsgId, text).catch(() => undefined);
    }
  }

  const sender = new OutboxSender({
    db,
    api,
    logger: deps.logger,
    now: deps.now,
    sleep,
    ...(options.perSecond ? { perSecond: options.perSecond } : {}),
    afterBatch: broadcastProgress,
  });

  /** Queues the reminders due now; the dedupe key makes a second run (or instance) a no-op. */
  async function runReminders(): Promise<number> {
    const now = deps.now();
    const cases = await db.case.findMany({
      where: { stage: { in: deps.lifecycle.reminderStages() } },
      include: { user: { select: { language: true, clientLanguage: true } }, events: { orderBy: { id: "asc" } } },
    });
    const messages = cases.flatMap((c) => {
      const sv = deps.catalog.stored(c.serviceId, c.variant);
      const due = remindersDue(deps.calendar, applicantObligations(deps.lifecycle, deps.calendar, sv, c), now);
      return due.map((r) => reminderNotice(deps, { ...c, userLanguage: languageOf(c.user) }, r));
    });
    const queued = await db.$transaction((tx) => enqueue(tx, now, messages));
    if (queued) {
      deps.logger.info({ queued }, "reminders queued");
      deps.wakeSender();
    }
    return queued;
  }

  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  return {
    sender,
    runReminders,
    broadcastProgress,
    /** Sends everything due, waiting (on the given sleep) for what is due later (tests, benchmarks). */
    async drain(): Promise<void> {
      await sender.drain();
    },
    start(): void {
      deps.wakeSender = () => sender.wake();
      sender.start();
      const tick = () =>
        runReminders()
          .catch((error) => deps.logger.error({ err: brief(error) }, "reminders failed"))
          .finally(() => {
            if (!stopped) timer = setTimeout(tick, options.reminderEveryMs ?? 60_000);
          });
      void tick();
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await sender.stop();
    },
  };
}

export type Background = ReturnType<typeof createBackground>;
