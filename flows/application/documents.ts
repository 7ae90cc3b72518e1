import { InlineKeyboard, type Context } from "grammy";
import type { BaseContext, Deps } from "../../bot/context.js";
import { cb } from "../../bot/callbacks.js";
import { formatList, formatSize } from "../../bot/format.js";
import type { Lang, Translate } from "../../bot/i18n.js";
import type { DraftFileRecord } from "../../bot/store/drafts.js";
import type { ChecklistItem } from "../catalog/load.js";
import type { FileRefusal } from "../file-check.js";
import { downloadChecked } from "./receive-file.js";
import { cancelRow, html, loadDraft, openSession, waitInput, type Conv } from "./common.js";

type FileOutcome =
  | { ok: true; fileName: string; size: number; alsoIn: string | null; photo: boolean }
  | { ok: false; refusal: FileRefusal | { reason: "already-here" } | { reason: "download-failed" } };

type Choice = { kind: "file"; outcome: FileOutcome } | { kind: "done" } | { kind: "skip" } | { kind: "back" } | { kind: "remove"; fileId: number };

function itemKeyboard(t: Translate, item: ChecklistItem, files: DraftFileRecord[]): InlineKeyboard {
  const kb = new InlineKeyboard();
  if (files.length) kb.text(t("docs.done"), cb.action("done"));
  if (!item.required) kb.text(t("buttons.skip"), cb.action("skip"));
  for (const f of files) kb.row().text(t("docs.remove", { name: f.fileName.slice(0, 40), interpolation: { escapeValue: false } }), cb.removeFile(f.id));
  // Back from the first item leads to the applicant details.
  kb.row().text(t("buttons.back"), cb.action("back"));
  return cancelRow(kb, t);
}

function fileList(t: Translate, files: DraftFileRecord[]): string {
  if (!files.length) return t("docs.noFilesYet");
  return [t("docs.filesHere"), ...files.map((f, i) => `${i + 1}. ${f.fileName} (${formatSize(f.size)})`)].join("\n");
}

function itemPrompt(t: Translate, lang: Lang, item: ChecklistItem, index: number, total: number, files: DraftFileRecord[]): string {
  return t("docs.prompt", {
    n: index + 1,
    total,
    name: item.name[lang],
    hint: item.hint[lang],
    formats: formatList(item.formats),
    required: t(item.required ? "docs.required" : "docs.optional"),
    multiple: t(item.multiple ? "docs.multiple" : "docs.single"),
    files: fileList(t, files),
    interpolation: { escapeValue: false },
  });
}

/** One checklist item per conversation, so the replay log stays as short as one item's files. */
export function documentsConversation(deps: Deps) {
  return async function documents(conversation: Conv, ctx: Context) {
    const { lang, t, userId } = await openSession(conversation, deps);
    let draft = await loadDraft(conversation, deps, userId);
    if (!draft) return;
    const sv = deps.catalog.stored(draft.serviceId, draft.variant);
    const index = Math.min(Math.max(draft.itemIndex, 0), sv.checklist.length - 1);
    const item = sv.checklist[index]!;
    const filesOf = (d: typeof draft) => (d ? d.files.filter((f) => f.itemId === item.id) : []);
    let files = filesOf(draft);

    await ctx.reply(itemPrompt(t, lang, item, index, sv.checklist.length, files), { ...html, reply_markup: itemKeyboard(t, item, files) });

    for (;;) {
      const input = await waitInput<Choice>(conversation, t, {
        expected: t("docs.expectFile"),
        onCallback: (d) => {
          if (d.kind === "removeFile") return { kind: "remove", fileId: d.fileId };
          if (d.kind === "action" && (d.action === "done" || d.action === "skip" || d.action === "back")) return { kind: d.action };
          return undefined;
        },
        onMessage: async (c) => {
          const m = c.message!;
          if (!m.document && !m.photo) {
            await c.reply(t(m.text ? "docs.expectFile" : "docs.unsupportedMessage"), { ...html, reply_markup: itemKeyboard(t, item, files) });
            return undefined;
          }
          const outcome = await conversation.external((octx: BaseContext) => receiveFile(deps, octx, userId, item, sv.checklist));
          return { kind: "file", outcome };
        },
      });
      ctx = input.ctx;
      const choice = input.value;

      if (choice.kind === "file") {
        const o = choice.outcome;
        if (!o.ok) {
          await ctx.reply(refusalText(t, o.refusal, item), { ...html, reply_markup: itemKeyboard(t, item, files) });
          continue;
        }
        draft = await loadDraft(conversation, deps, userId);
        files = filesOf(draft);
        const notes = [t("docs.accepted", { name: o.fileName, size: formatSize(o.size) })];
        if (o.photo) notes.push(t("docs.photoHint"));
        if (o.alsoIn) notes.push(t("docs.sameFileElsewhere", { item: o.alsoIn }));
        if (!item.multiple) {
          await ctx.reply(notes.join("\n"), html);
          break;
        }
        notes.push("", fileList(t, files), t("docs.moreOrDone"));
        await ctx.reply(notes.join("\n"), { ...html, reply_markup: itemKeyboard(t, item, files) });
        continue;
      }
      if (choice.kind === "remove") {
        const removed = await conversation.external(() => deps.drafts.removeFile(userId, choice.fileId));
        draft = await loadDraft(conversation, deps, userId);
        files = filesOf(draft);
        await ctx.reply([t(removed ? "docs.removed" : "errors.staleButton"), "", fileList(t, files)].join("\n"), {
          ...html,
          reply_markup: itemKeyboard(t, item, files),
        });
        continue;
      }
      if (choice.kind === "done") {
        if (item.required && files.length === 0) {
          await ctx.reply(t("docs.needOne"), { ...html, reply_markup: itemKeyboard(t, item, files) });
          continue;
        }
        break;
      }
      if (choice.kind === "skip") {
        if (item.required) {
          await ctx.reply(t("docs.cannotSkip"), { ...html, reply_markup: itemKeyboard(t, item, files) });
          continue;
        }
        const skipped = [...new Set([...(draft?.skippedItems ?? []), item.id])];
        await conversation.external(() => deps.drafts.update(userId, { skippedItems: skipped }));
        break;
      }
      // back: to the previous item, or to the details before the first one
      await conversation.external(() => deps.drafts.update(userId, index === 0 ? { phase: "details" } : { itemIndex: index - 1 }));
      await conversation.halt({ next: true });
    }
    const last = index >= sv.checklist.length - 1;
    const reachedReview = draft?.reachedReview ?? false;
    await conversation.external(() => deps.drafts.update(userId, last || reachedReview ? { phase: "review" } : { itemIndex: index + 1 }));
    await conversation.halt({ next: true });
  };
}

export function refusalText(t: Translate, refusal: FileRefusal | { reason: "already-here" } | { reason: "download-failed" }, item: ChecklistItem): string {
  const formats = formatList(item.formats);
  switch (refusal.reason) {
    case "empty":
      return t("docs.refused.empty");
    case "too-large":
      return t("docs.refused.tooLarge", { limit: Math.round(refusal.limitBytes / 1024 / 1024) });
    case "wrong-format":
      return t("docs.refused.wrongFormat", { formats });
    case "photo-not-accepted":
      return t("docs.refused.photo", { formats });
    case "already-here":
      return t("docs.refused.alreadyHere");
    case "download-failed":
      return t("docs.refused.downloadFailed");
  }
}

/** Runs outside the replay: download, check by content, keep on disk, record in the draft. */
async function receiveFile(deps: Deps, octx: BaseContext, userId: number, item: ChecklistItem, checklist: ChecklistItem[]): Promise<FileOutcome> {
  const got = await downloadChecked(deps, octx, item);
  if (!got.ok) return got;
  const draft = await deps.drafts.get(userId);
  const same = draft?.files.filter((f) => f.sha256 === got.file.sha256) ?? [];
  if (same.some((f) => f.itemId === item.id)) return { ok: false, refusal: { reason: "already-here" } };
  await deps.drafts.addFile(userId, { ...got.file, storedPath: await deps.files.save(got.file.sha256, got.bytes) }, !item.multiple);
  deps.logger.info({ userId, item: item.id, format: got.file.format, size: got.file.size }, "document accepted");
  const other = same.find((f) => f.itemId !== item.id);
  const otherItem = other ? checklist.find((c) => c.id === other.itemId) : undefined;
  return { ok: true, fileName: got.file.fileName, size: got.file.size, alsoIn: otherItem ? otherItem.name[octx.lang] : null, photo: got.photo };
}
