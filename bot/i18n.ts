import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import i18next, { type TFunction } from "i18next";

export const LANGUAGES = ["kk", "ru"] as const;
export type Lang = (typeof LANGUAGES)[number];
export const localesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "locales");

export function isLang(value: unknown): value is Lang {
  return value === "kk" || value === "ru";
}

/** Telegram's client language, when it is one we speak. */
export function langFromClient(code: string | undefined): Lang | undefined {
  const base = code?.slice(0, 2).toLowerCase();
  return isLang(base) ? base : undefined;
}

export const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function loadResources(dir = localesDir): Record<Lang, Record<string, unknown>> {
  const out = {} as Record<Lang, Record<string, unknown>>;
  for (const lang of LANGUAGES) {
    const merged: Record<string, unknown> = {};
    for (const file of readdirSync(path.join(dir, lang))
      .filter((f) => f.endsWith(".json"))
      .sort()) {
      Object.assign(merged, JSON.parse(readFileSync(path.join(dir, lang, file), "utf8")));
    }
    out[lang] = merged;
  }
  return out;
}

export type Translate = TFunction;

export interface I18n {
  t(lang: Lang): Translate;
}

/** Messages are sent as HTML, so interpolated values (names, file names) are escaped. */
export async function createI18n(): Promise<I18n> {
  const instance = i18next.createInstance();
  const resources = loadResources();
  await instance.init({
    resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: resources[l] }])),
    lng: "ru",
    fallbackLng: false,
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: true, escape: escapeHtml },
    returnNull: false,
    initAsync: false,
    showSupportNotice: false,
  } as never);
  const fixed = new Map(LANGUAGES.map((l) => [l, instance.getFixedT(l)]));
  return { t: (lang) => fixed.get(lang)! };
}

/** The language to write to someone in, outside a reply: their choice, else their client's, else Kazakh. */
export function languageOf(user: { language: string | null; clientLanguage?: string | null } | null | undefined): Lang {
  if (isLang(user?.language)) return user.language;
  if (isLang(user?.clientLanguage)) return user.clientLanguage;
  return "kk";
}
