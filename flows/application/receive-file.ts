import { brief } from "../../bot/logger.js";
import type { BaseContext, Deps } from "../../bot/context.js";
import type { NewDraftFile } from "../../bot/store/drafts.js";
import type { ChecklistItem } from "../catalog/load.js";
import { MIME_OF, acceptsImages, checkContent, checkDeclaredSize, type FileRefusal } from "../file-check.js";

export type Downloaded =
  { ok: true; file: Omit<NewDraftFile, "storedPath">; bytes: Uint8Array; photo: boolean } | { ok: false; refusal: FileRefusal | { reason: "download-failed" } };

/**
 * The document or photo of the current message, downloaded and checked by content against
 * the item's formats and the size limit. Not saved yet: the caller decides (duplicates).
 */
export async function downloadChecked(deps: Deps, octx: BaseContext, item: ChecklistItem): Promise<Downloaded> {
  const m = octx.message!;
  const photo = m.photo?.[m.photo.length - 1];
  const tg = m.document ?? photo!;
  if (photo && !acceptsImages(item.formats)) return { ok: false, refusal: { reason: "photo-not-accepted" } };
  const early = checkDeclaredSize(tg.file_size, deps.maxFileBytes);
  if (early) return { ok: false, refusal: early };
  let bytes: Uint8Array;
  try {
    const info = await octx.api.getFile(tg.file_id);
    if (!info.file_path) throw new Error("no file_path");
    bytes = await deps.files.download(info.file_path);
  } catch (error) {
    // getFile refuses files over 20 MB on the public Bot API; say so rather than "failed".
    if (/too big/i.test(String(error))) return { ok: false, refusal: { reason: "too-large", limitBytes: deps.maxFileBytes } };
    deps.logger.warn({ err: brief(error), item: item.id }, "file download failed");
    return { ok: false, refusal: { reason: "download-failed" } };
  }
  const checked = checkContent(bytes, item.formats, deps.maxFileBytes);
  if ("reason" in checked) return { ok: false, refusal: checked };
  return {
    ok: true,
    bytes,
    photo: Boolean(photo),
    file: {
      itemId: item.id,
      telegramFileId: tg.file_id,
      uniqueId: tg.file_unique_id,
      fileName: m.document?.file_name ?? `photo-${tg.file_unique_id}.${checked.format}`,
      mime: MIME_OF[checked.format],
      format: checked.format,
      size: checked.size,
      sha256: checked.sha256,
    },
  };
}
