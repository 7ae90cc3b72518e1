// Admins: staff management, statistics (text and chart), CSV export. Role checked per update.
import { brief } from "../logger.js";
import { Composer, InputFile } from "grammy";
import { parseDay, parseIsoDay, toKzIso } from "../../flows/calendar/kz-time.js";
import { STAFF_CONVERSATION } from "../../flows/staff/index.js";
import { computeStats, type StatsRow } from "../../flows/stats.js";
import { currentDeadline } from "../../flows/workflow/lifecycle.js";
import { barChartPng } from "../chart.js";
import { setChatCommands } from "../command-menu.js";
import type { BaseContext, BotContext, Deps } from "../context.js";
import { html } from "../format.js";
import { languageOf } from "../i18n.js";
import { enqueue } from "../outbox/outbox.js";

export function adminFeature(deps: Deps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const admin = composer.chatType("private").filter((ctx) => ctx.user?.role === "admin");

  admin.command("staff", async (ctx) => {
    const [op, id, role] = ctx.match.trim().split(/\s+/);
    if (!op) return listStaff(ctx, deps);
    if ((op !== "add" && op !== "remove") || (id && !/^\d{1,15}$/.test(id)) || (role && role !== "admin")) {
      return void (await ctx.reply(ctx.t("admin.usage"), html));
    }
    const newRole = op === "remove" ? "applicant" : role === "admin" ? "admin" : "staff";
    if (!id) {
      await ctx.conversation.exitAll();
      await ctx.conversation.enter(STAFF_CONVERSATION.member, { role: newRole });
      return;
    }
    await changeRole(ctx, deps, ctx.from.id, BigInt(id), newRole);
  });

  admin.command("stats", async (ctx) => {
    const args = ctx.match.trim().split(/\s+/).filter(Boolean);
    const chart = args[0] === "chart";
    const dates = chart ? args.slice(1) : args;
    const [from, to] = dates.map((d) => parseDay(d) ?? parseIsoDay(d));
    if (dates.length && (dates.length !== 2 || !from || !to || from > to)) return void (await ctx.reply(ctx.t("stats.usage"), html));
    const rows = computeStats({
      cases: await deps.cases.listAll(),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      now: deps.now(),
      calendar: deps.calendar,
      catalog: deps.catalog,
      lifecycle: deps.lifecycle,
    });
    const period =
      from && to ? ctx.t("stats.period", { from: from.split("-").reverse().join("."), to: to.split("-").reverse().join(".") }) : ctx.t("stats.allTime");
    if (chart) {
      const groups = rows.map((r) => ({
        label: `${deps.catalog.service(r.serviceId).code}-${r.variant === "issuance" ? "I" : "D"}`,
        values: [r.submitted, r.issued, r.refused, r.open, r.overdue],
      }));
      await ctx.replyWithPhoto(new InputFile(barChartPng(groups, ["S", "I", "R", "O", "X"]), "stats.png"), {
        caption: `${period}\n${ctx.t("stats.chartLegend")}`,
        parse_mode: "HTML",
      });
      return;
    }
    await ctx.reply([ctx.t("stats.title"), period, "", ...rows.map((r) => statsBlock(ctx, deps, r))].join("\n"), html);
  });

  admin.command("export", async (ctx) => {
    const csv = exportCsv(deps, await deps.cases.listAll());
    const day = toKzIso(deps.now()).slice(0, 10);
    await ctx.replyWithDocument(new InputFile(Buffer.from(csv, "utf8"), `qanat-cases-${day}.csv`), { caption: ctx.t("export.caption") });
    deps.logger.info({ by: ctx.from.id }, "cases exported");
  });
  return composer;
}

function statsBlock(ctx: BotContext, deps: Deps, r: StatsRow): string {
  const sv = deps.catalog.get(r.serviceId, r.variant);
  const open = Object.entries(r.openByStage)
    .map(([stage, n]) => `${ctx.t(`stage.${stage}`)}: ${n}`)
    .join("; ");
  return ctx.t("stats.row", {
    service: sv.service.shortTitle[ctx.lang],
    variant: ctx.t(`variant.${r.variant}`),
    submitted: r.submitted,
    open: r.open,
    openByStage: open || "—",
    issued: r.issued,
    refused: r.refused,
    overdue: r.overdue,
    median: r.medianDays ?? "—",
    legal: r.legalDays,
    onTime: r.stepsDone ? `${Math.round((r.stepsOnTime / r.stepsDone) * 100)}% (${r.stepsOnTime}/${r.stepsDone})` : "—",
    interpolation: { escapeValue: false },
  });
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? "" : String(v);
  // Quotes for separators, and a leading apostrophe against formulas in spreadsheet programs.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function exportCsv(deps: Deps, cases: Awaited<ReturnType<Deps["cases"]["listAll"]>>): string {
  const header = [
    "number",
    "service",
    "variant",
    "applicant_type",
    "stage",
    "submitted_at",
    "closed_at",
    "certificate_no",
    "deadline",
    "deadline_owner",
    "overdue",
  ];
  const now = deps.now();
  const lines = cases.map((c) => {
    const d = currentDeadline(deps.lifecycle, deps.calendar, deps.catalog.stored(c.serviceId, c.variant), c);
    return [
      c.number,
      c.serviceId,
      c.variant,
      c.applicantType,
      c.stage,
      toKzIso(c.submittedAt),
      c.closedAt ? toKzIso(c.closedAt) : "",
      c.certificateNo ?? "",
      d ? toKzIso(d.due) : "",
      d?.owner ?? "",
      d ? String(d.due < now) : "",
    ]
      .map(csvCell)
      .join(",");
  });
  // A BOM so that spreadsheet programs read the UTF-8 as such.
  return "\uFEFF" + [header.join(","), ...lines].join("\r\n") + "\r\n";
}

async function listStaff(ctx: BotContext, deps: Deps): Promise<void> {
  const staff = await deps.users.listStaff();
  const lines = staff.map((u) =>
    ctx.t("admin.line", {
      name: [u.firstName, u.username ? `@${u.username}` : ""].filter(Boolean).join(" ") || "—",
      id: String(u.id),
      role: ctx.t(`role.${u.role}`),
      configured: deps.adminIds.includes(u.id) ? ctx.t("admin.configured") : "",
    }),
  );
  await ctx.reply([ctx.t("admin.title"), "", ...lines, "", ctx.t("admin.usage")].join("\n"), html);
}

/** Makes `target` staff, admin or a plain applicant again: logged, recorded, menu updated, person told. */
export async function changeRole(ctx: BaseContext, deps: Deps, actorId: number, target: bigint, role: "staff" | "admin" | "applicant"): Promise<void> {
  if (role !== "admin" && deps.adminIds.includes(target)) return void (await ctx.reply(ctx.t("admin.configuredCannot"), html));
  if (target === BigInt(actorId) && role !== "admin") return void (await ctx.reply(ctx.t("admin.notYourself"), html));
  const now = deps.now();
  const person = await deps.users.get(target);
  const lang = languageOf(person);
  const before = await deps.users.setRole(target, role, BigInt(actorId), now, (tx) =>
    enqueue(tx, now, [{ chatId: target, kind: "notice", text: deps.i18n.t(lang)(`admin.youAre.${role}`) }]),
  );
  if (before === null) return void (await ctx.reply(ctx.t("admin.unchanged", { id: String(target), role: ctx.t(`role.${role}`) }), html));
  deps.logger.info({ actorId, userId: String(target), from: before, to: role }, "role changed");
  deps.wakeSender();
  await setChatCommands(ctx.api, deps.i18n, Number(target), role).catch((error) =>
    deps.logger.warn({ userId: String(target), err: brief(error) }, "command menu not updated (the person may not have started the bot)"),
  );
  await ctx.reply(ctx.t("admin.changed", { id: String(target), role: ctx.t(`role.${role}`) }), html);
}

/** At start: the admins of ADMIN_IDS are admins (again), and every staff chat has its menu. */
export async function applyConfiguredRoles(deps: Deps, api?: BaseContext["api"], staffIds: bigint[] = []): Promise<void> {
  for (const id of deps.adminIds) {
    const before = await deps.users.setRole(id, "admin", null, deps.now());
    if (before !== null) deps.logger.info({ userId: String(id), from: before, to: "admin" }, "role changed (ADMIN_IDS)");
  }
  for (const id of staffIds) {
    const role = (await deps.users.get(id))?.role ?? "applicant";
    if (deps.adminIds.includes(id) || role !== "applicant") continue;
    await deps.users.setRole(id, "staff", null, deps.now());
    deps.logger.info({ userId: String(id), to: "staff" }, "role changed (STAFF_IDS)");
  }
  if (!api) return;
  for (const u of await deps.users.listStaff()) {
    await setChatCommands(api, deps.i18n, Number(u.id), u.role).catch((error) =>
      deps.logger.warn({ userId: String(u.id), err: brief(error) }, "command menu not set (the person may not have started the bot)"),
    );
  }
}
