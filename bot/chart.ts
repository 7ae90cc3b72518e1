// A bar chart as PNG, drawn into a pixel buffer with a 5×7 bitmap font and encoded with
// node:zlib: no browser, no native module, nothing to download. Labels are codes and numbers;
// the caption sent with the image explains them in the user's language.
import { deflateSync } from "node:zlib";

type RGB = [number, number, number];

const GLYPHS: Record<string, string> = {
  "0": "01110100011001110101110011000101110",
  "1": "00100011000010000100001000010001110",
  "2": "01110100010000100010001000100011111",
  "3": "11111000100010000010000011000101110",
  "4": "00010001100101010010111110001000010",
  "5": "11111100001111000001000011000101110",
  "6": "00110010001000011110100011000101110",
  "7": "11111000010001000100010000100001000",
  "8": "01110100011000101110100011000101110",
  "9": "01110100011000101111000010001001100",
  A: "01110100011000111111100011000110001",
  C: "01110100011000010000100001000101110",
  D: "11100100101000110001100011001011100",
  G: "01110100011000010111100011000101111",
  I: "01110001000010000100001000010001110",
  O: "01110100011000110001100011000101110",
  R: "11110100011000111110101001001010001",
  S: "01111100001000001110000010000111110",
  W: "10001100011000110101101011101110001",
  X: "10001100010101000100010101000110001",
  "-": "00000000000000011111000000000000000",
  ":": "00000011000110000000011000110000000",
  "/": "00001000010001000100010001000010000",
  "%": "11000110010001000100010001001100011",
  " ": "00000000000000000000000000000000000",
};

class Canvas {
  readonly px: Uint8Array;
  constructor(
    readonly w: number,
    readonly h: number,
    bg: RGB = [255, 255, 255],
  ) {
    this.px = new Uint8Array(w * h * 3);
    this.rect(0, 0, w, h, bg);
  }

  rect(x: number, y: number, w: number, h: number, c: RGB): void {
    for (let j = Math.max(0, y); j < Math.min(this.h, y + h); j++)
      for (let i = Math.max(0, x); i < Math.min(this.w, x + w); i++) this.px.set(c, (j * this.w + i) * 3);
  }

  text(x: number, y: number, s: string, c: RGB, scale = 2): void {
    for (const ch of s.toUpperCase()) {
      const g = GLYPHS[ch] ?? GLYPHS[" "]!;
      for (let r = 0; r < 7; r++) for (let col = 0; col < 5; col++) if (g[r * 5 + col] === "1") this.rect(x + col * scale, y + r * scale, scale, scale, c);
      x += 6 * scale;
    }
  }

  png(): Buffer {
    const raw = Buffer.alloc((this.w * 3 + 1) * this.h);
    for (let y = 0; y < this.h; y++) {
      raw[y * (this.w * 3 + 1)] = 0;
      Buffer.from(this.px.buffer, y * this.w * 3, this.w * 3).copy(raw, y * (this.w * 3 + 1) + 1);
    }
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(this.w, 0);
    ihdr.writeUInt32BE(this.h, 4);
    ihdr.set([8, 2, 0, 0, 0], 8);
    return Buffer.concat([
      Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
      chunk("IHDR", ihdr),
      chunk("IDAT", deflateSync(raw)),
      chunk("IEND", Buffer.alloc(0)),
    ]);
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

export interface ChartGroup {
  label: string;
  values: number[];
}

export const SERIES_COLORS: RGB[] = [
  [66, 133, 244],
  [52, 168, 83],
  [234, 67, 53],
  [251, 188, 5],
  [120, 120, 120],
];

/** Grouped vertical bars, one group per label, one bar per series, each bar with its value. */
export function barChartPng(groups: ChartGroup[], seriesLabels: string[]): Buffer {
  const barW = 14;
  const groupW = seriesLabels.length * barW + 24;
  const left = 40;
  const top = 50;
  const plotH = 220;
  const w = Math.max(420, left + groups.length * groupW + 20);
  const h = top + plotH + 50;
  const canvas = new Canvas(w, h);
  const max = Math.max(1, ...groups.flatMap((g) => g.values));
  seriesLabels.forEach((s, i) => {
    canvas.rect(left + i * 70, 14, 14, 14, SERIES_COLORS[i % SERIES_COLORS.length]!);
    canvas.text(left + i * 70 + 18, 14, s, [40, 40, 40]);
  });
  canvas.rect(left - 2, top + plotH, w - left - 10, 2, [40, 40, 40]);
  groups.forEach((g, gi) => {
    const x0 = left + gi * groupW;
    g.values.forEach((v, si) => {
      const bh = Math.round((v / max) * (plotH - 20));
      const x = x0 + si * barW;
      canvas.rect(x, top + plotH - bh, barW - 2, bh, SERIES_COLORS[si % SERIES_COLORS.length]!);
      canvas.text(x + 1, top + plotH - bh - 10, String(v), [40, 40, 40], 1);
    });
    canvas.text(x0, top + plotH + 10, g.label, [40, 40, 40]);
  });
  return canvas.png();
}
