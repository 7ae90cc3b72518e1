// What a file really is, from its first bytes: names and MIME types are what the client says.
import { createHash } from "node:crypto";
import type { FileFormat } from "./catalog/schema.js";

export type DetectedFormat = FileFormat | "zip" | "doc" | "unknown";

export function detectFormat(bytes: Uint8Array): DetectedFormat {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.subarray(0, 5).toString("latin1") === "%PDF-") return "pdf";
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpg";
  if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "png";
  if (b.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) return "doc";
  if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) {
    // Office Open XML: a ZIP whose entry names say which application wrote it.
    const names = b.toString("latin1");
    if (names.includes("word/")) return "docx";
    if (names.includes("xl/")) return "xlsx";
    return "zip";
  }
  return "unknown";
}

export const MIME_OF: Record<FileFormat, string> = {
  pdf: "application/pdf",
  jpg: "image/jpeg",
  png: "image/png",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

export type FileRefusal =
  { reason: "empty" } | { reason: "too-large"; limitBytes: number } | { reason: "wrong-format"; detected: DetectedFormat } | { reason: "photo-not-accepted" };

export interface CheckedFile {
  format: FileFormat;
  sha256: string;
  size: number;
}

/** The size can be refused before downloading: Telegram tells it. */
export function checkDeclaredSize(size: number | undefined, limitBytes: number): FileRefusal | undefined {
  if (size === 0) return { reason: "empty" };
  if (size !== undefined && size > limitBytes) return { reason: "too-large", limitBytes };
  return undefined;
}

export function checkContent(bytes: Uint8Array, accepted: readonly FileFormat[], limitBytes: number): CheckedFile | FileRefusal {
  if (bytes.byteLength === 0) return { reason: "empty" };
  if (bytes.byteLength > limitBytes) return { reason: "too-large", limitBytes };
  const detected = detectFormat(bytes);
  if (detected === "unknown" || detected === "zip" || detected === "doc" || !accepted.includes(detected)) return { reason: "wrong-format", detected };
  return { format: detected, sha256: createHash("sha256").update(bytes).digest("hex"), size: bytes.byteLength };
}

export function acceptsImages(accepted: readonly FileFormat[]): boolean {
  return accepted.includes("jpg") || accepted.includes("png");
}
