// The command menu: everyone sees the applicant's commands; staff and admins get theirs in
// their own chat only (per-chat scope), in each language, so nobody else learns they exist.
import type { Api } from "grammy";
import { LANGUAGES, type I18n, type Lang } from "./i18n.js";

const EVERYONE = ["start", "help", "language", "cancel"] as const;
const STAFF = ["queue", "case", "broadcast"] as const;
const ADMIN = ["staff", "stats", "export"] as const;

export function commandsFor(role: string): string[] {
  if (role === "admin") return [...EVERYONE, ...STAFF, ...ADMIN];
  if (role === "staff") return [...EVERYONE, ...STAFF];
  return [...EVERYONE];
}

const menu = (i18n: I18n, lang: Lang, role: string) => commandsFor(role).map((command) => ({ command, description: i18n.t(lang)(`commands.${command}`) }));

export async function setDefaultCommands(api: Api, i18n: I18n): Promise<void> {
  await api.setMyCommands(menu(i18n, "kk", "applicant"));
  for (const lang of LANGUAGES) await api.setMyCommands(menu(i18n, lang, "applicant"), { language_code: lang });
}

/** Sets (or, for an applicant, removes) the chat's own menu after a role change. */
export async function setChatCommands(api: Api, i18n: I18n, chatId: number, role: string): Promise<void> {
  const scope = { type: "chat" as const, chat_id: chatId };
  if (role !== "staff" && role !== "admin") {
    await api.deleteMyCommands({ scope });
    for (const lang of LANGUAGES) await api.deleteMyCommands({ scope, language_code: lang });
    return;
  }
  await api.setMyCommands(menu(i18n, "kk", role), { scope });
  for (const lang of LANGUAGES) await api.setMyCommands(menu(i18n, lang, role), { scope, language_code: lang });
}
