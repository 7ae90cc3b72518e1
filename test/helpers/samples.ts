// Small real files of each kind, made here so that the checks read real signatures.
import { deflateRawSync } from "node:zlib";

export function pdf(label = "sample", pad = 0): Uint8Array {
  const body = `%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n% ${label}\n${"x".repeat(pad)}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}

export function jpeg(label = "photo"): Uint8Array {
  return Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...new TextEncoder().encode(`JFIF ${label}`), 0xff, 0xd9]);
}

export function png(): Uint8Array {
  return Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);
}

/** A minimal ZIP with one entry, enough to carry an Office Open XML signature. */
export function officeZip(entryName: string): Uint8Array {
  const data = deflateRawSync(Buffer.from("<xml/>"));
  const name = Buffer.from(entryName);
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(8, 8);
  header.writeUInt32LE(data.length, 18);
  header.writeUInt32LE(6, 22);
  header.writeUInt16LE(name.length, 26);
  return new Uint8Array(Buffer.concat([header, name, data]));
}

export const docx = () => officeZip("word/document.xml");
export const xlsx = () => officeZip("xl/workbook.xml");
export const exe = () => Uint8Array.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]);

/** Valid check digits: the BIN/IIN samples are built with the official algorithm's weights. */
export const VALID_BIN = "180340021791";
export const VALID_IIN = "900101300017";
