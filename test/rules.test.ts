import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { readFileSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { brokenCopy } from "./helpers/flows.js";
import { describe, expect, it } from "vitest";
import { catalogDataDir, loadCatalog } from "../flows/catalog/load.js";
import { DataFileError } from "../flows/data-file.js";
import { checkContent, detectFormat } from "../flows/file-check.js";
import { checkDigit, normalizeEmail, normalizePhone, validateIdNumber } from "../flows/identity.js";
import { loadConfig } from "../bot/config.js";
import { loadResources } from "../bot/i18n.js";
import { brief } from "../bot/logger.js";
import { VALID_BIN, VALID_IIN, docx, exe, jpeg, officeZip, pdf, png, xlsx } from "./helpers/samples.js";

describe("BIN and IIN", () => {
  it("check digit: weights 1..11, and 3..11,1,2 when the first sum mod 11 is 10", () => {
    expect(checkDigit("18034002179")).toBe(1); // 1+16+0+12+20+0+0+16+9+70+99 = 243 = 22·11 + 1
    // 0000000001 at position 10: first sum 10 -> second weights give 1
    expect(checkDigit("00000000010")).toBe(1);
    // both sums are 10: no valid number has these eleven digits
    expect(checkDigit("50000000060")).toBeUndefined();
  });

  it("accepts valid numbers and says what is wrong with the others", () => {
    expect(validateIdNumber(` ${VALID_BIN.slice(0, 6)} ${VALID_BIN.slice(6)} `, "legal")).toEqual({ ok: true, value: VALID_BIN });
    expect(validateIdNumber(VALID_IIN, "individual")).toEqual({ ok: true, value: VALID_IIN });
    expect(validateIdNumber("18034002179", "legal")).toEqual({ ok: false, problem: "format" });
    expect(validateIdNumber("18034002179a", "legal")).toEqual({ ok: false, problem: "format" });
    expect(validateIdNumber("180340021792", "legal")).toEqual({ ok: false, problem: "checksum" });
    expect(validateIdNumber(VALID_IIN, "legal")).toEqual({ ok: false, problem: "not-bin" });
    expect(validateIdNumber(VALID_BIN, "individual")).toEqual({ ok: false, problem: "not-iin" });
  });
});

describe("phone and e-mail", () => {
  it.each([
    ["+7 701 234 56 78", "+77012345678"],
    ["87012345678", "+77012345678"],
    ["7012345678", "+77012345678"],
    ["77012345678", "+77012345678"],
    ["+7 (727) 250-00-00", "+77272500000"],
    ["+79161234567", undefined],
    ["12345", undefined],
    ["+7701234567a", undefined],
  ])("%s -> %s", (input, expected) => expect(normalizePhone(input)).toBe(expected));

  it("e-mail is checked and lower-cased", () => {
    expect(normalizeEmail(" Office@AirAstana.KZ ")).toBe("office@airastana.kz");
    expect(normalizeEmail("office@")).toBeUndefined();
    expect(normalizeEmail("two words@x.kz")).toBeUndefined();
  });
});

describe("files are recognised by their content", () => {
  it("knows each accepted format and what it is not", () => {
    expect(detectFormat(pdf())).toBe("pdf");
    expect(detectFormat(jpeg())).toBe("jpg");
    expect(detectFormat(png())).toBe("png");
    expect(detectFormat(docx())).toBe("docx");
    expect(detectFormat(xlsx())).toBe("xlsx");
    expect(detectFormat(officeZip("readme.txt"))).toBe("zip");
    expect(detectFormat(exe())).toBe("unknown");
  });

  it("refuses empty, too large and wrong files with the reason", () => {
    expect(checkContent(new Uint8Array(), ["pdf"], 100)).toEqual({ reason: "empty" });
    expect(checkContent(pdf("x", 200), ["pdf"], 100)).toEqual({ reason: "too-large", limitBytes: 100 });
    expect(checkContent(docx(), ["pdf"], 10_000)).toEqual({ reason: "wrong-format", detected: "docx" });
    expect(checkContent(pdf(), ["pdf"], 10_000)).toMatchObject({ format: "pdf", size: pdf().byteLength });
  });
});

describe("the catalog", () => {
  const catalog = loadCatalog();

  it("has the three services, each with issuance and duplicate, in both languages", () => {
    expect(catalog.all().map((s) => s.code)).toEqual(["AOC", "AW", "GA"]);
    for (const s of catalog.all()) {
      for (const v of ["issuance", "duplicate"] as const) {
        const sv = catalog.get(s.id, v);
        expect(sv.checklist.length).toBeGreaterThan(0);
        expect(sv.checklist[0]!.id).toBe("application");
        for (const item of sv.checklist) expect(item.name.kk && item.name.ru && item.hint.kk && item.hint.ru).toBeTruthy();
      }
    }
    expect(catalog.service("aoc").applicantTypes).toEqual(["legal"]);
    // The payment receipt where the portal flow has a payment step (para 11), and not for GA.
    expect(catalog.get("aoc", "issuance").checklist.map((i) => i.id)).toContain("payment");
    expect(catalog.get("ga-flights", "issuance").checklist.map((i) => i.id)).not.toContain("payment");
  });

  it("records the documented choices with their source", () => {
    const agree = catalog.get("aoc", "issuance").steps.find((s) => s.id === "agree")!;
    expect(agree.term).toEqual({ value: 1, unit: "hours" });
    expect(agree.note).toContain("para 5 is used");
    expect(catalog.get("aerial-work", "issuance").steps.find((s) => s.id === "check")!.note).toContain("5 working days");
    expect(catalog.service("aoc").checklistNote).toContain("TO BE CHECKED");
  });

  it("a broken file stops loading with the file and the field", async () => {
    const unit = await brokenCopy(catalogDataDir, "aoc.json", (j) => (j.variants.issuance.steps[3].term.unit = "weeks"));
    expect(() => loadCatalog(unit)).toThrowError(DataFileError);
    expect(() => loadCatalog(unit)).toThrowError(/aoc\.json: field "variants\.issuance\.steps\.3\.term\.unit"/);
    const doc = await brokenCopy(catalogDataDir, "ga-flights.json", (j) => (j.variants.duplicate.documents[0].id = "passport"));
    expect(() => loadCatalog(doc)).toThrowError(/ga-flights\.json: field "variants\.duplicate\.documents\.0\.id": "passport" is not in documents\.json/);
    const kk = await brokenCopy(catalogDataDir, "documents.json", (j) => delete j.documents.insurance.name.kk);
    expect(() => loadCatalog(kk)).toThrowError(/documents\.json: field "documents\.insurance\.name\.kk"/);
    const dir = await mkdtemp(path.join(os.tmpdir(), "qanat-cat-"));
    await cp(catalogDataDir, dir, { recursive: true });
    await writeFile(path.join(dir, "aerial-work.json"), "{ not json");
    expect(() => loadCatalog(dir)).toThrowError(/aerial-work\.json: not valid JSON/);
  });
});

describe("locales", () => {
  const flatten = (o: Record<string, unknown>, prefix = ""): Record<string, string> =>
    Object.entries(o).reduce<Record<string, string>>((acc, [k, v]) => {
      if (typeof v === "object" && v) Object.assign(acc, flatten(v as Record<string, unknown>, `${prefix}${k}.`));
      else acc[`${prefix}${k}`] = String(v);
      return acc;
    }, {});
  const res = loadResources();
  const kk = flatten(res.kk);
  const ru = flatten(res.ru);

  it("kk and ru have the same files and keys, and no value is empty", () => {
    expect(readdirSync("locales/kk").sort()).toEqual(readdirSync("locales/ru").sort());
    expect(Object.keys(kk).sort()).toEqual(Object.keys(ru).sort());
    for (const [k, v] of [...Object.entries(kk), ...Object.entries(ru)]) expect(v.trim(), k).not.toBe("");
  });

  it("Kazakh is Kazakh: its sentences use the letters Russian does not have", () => {
    const sentences = Object.entries(kk).filter(([, v]) => v.split(" ").length >= 4);
    const kazakh = sentences.filter(([, v]) => /[әғқңөұүһі]/i.test(v));
    expect(kazakh.length / sentences.length).toBeGreaterThan(0.9);
    const words = (v: string) => v.replace(/\{\{\w+\}\}|<[^>]+>/g, " ").match(/\p{L}{2,}/gu) ?? [];
    const same = Object.keys(kk).filter((k) => kk[k] === ru[k] && words(kk[k]!).length >= 2);
    expect(same).toEqual([]);
  });

  it("every key the code asks for exists", () => {
    const files = ["bot", "flows"]
      .flatMap((d) => readdirSync(d, { recursive: true, withFileTypes: false }).map((f) => path.join(d, String(f))))
      .filter((f) => f.endsWith(".ts"));
    const keys = new Set<string>();
    for (const f of files) for (const m of readFileSync(f, "utf8").matchAll(/\bt\(\s*"([a-zA-Z][\w.-]*)"/g)) keys.add(m[1]!);
    expect(keys.size).toBeGreaterThan(50);
    for (const k of keys) expect(ru, k).toHaveProperty([k]);
  });
});

describe("configuration", () => {
  const token = "123456:ABCdefGhIJKlmNoPQRstuVWxyz0123456789";
  it("takes defaults and says clearly what is wrong", () => {
    const c = loadConfig({ BOT_TOKEN: token });
    expect(c).toMatchObject({ BOT_MODE: "polling", BOT_API_ROOT: "https://api.telegram.org", DATA_DIR: "./data", MAX_FILE_MB: 20, ADMIN_IDS: [] });
    expect(() => loadConfig({})).toThrowError(/BOT_TOKEN: is required/);
    expect(() => loadConfig({ BOT_TOKEN: "nope" })).toThrowError(/BOT_TOKEN: does not look like a bot token/);
    expect(() => loadConfig({ BOT_TOKEN: token, DATABASE_URL: "mysql://x" })).toThrowError(/DATABASE_URL: must be a postgresql:\/\/ URL/);
    expect(() => loadConfig({ BOT_TOKEN: token, ADMIN_IDS: "1, x2" })).toThrowError(/ADMIN_IDS: not Telegram user ids: x2/);
    expect(loadConfig({ BOT_TOKEN: token, ADMIN_IDS: "1, 22" }).ADMIN_IDS).toEqual([1n, 22n]);
    expect(() => loadConfig({ BOT_TOKEN: token, BOT_MODE: "webhook" })).toThrowError(/WEBHOOK_SECRET/);
  });
});

describe("logs", () => {
  it("an error is logged as one line, without the values a database error may quote, and long numbers cut", () => {
    const e = new Error(
      'Invalid `prisma.case.create()` invocation:\n  idNumber: "180340021791", name: "АО Тест"\nUnique constraint failed on the fields: (`number`)',
    );
    expect(brief(e)).toBe("Error: Unique constraint failed on the fields: (`number`)");
    expect(brief("connect ECONNREFUSED, phone 77012345678, IIN 900101300017")).toBe("connect ECONNREFUSED, phone …5678, IIN …0017");
  });
});
