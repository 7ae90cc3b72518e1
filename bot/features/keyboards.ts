import { InlineKeyboard } from "grammy";
import { cb } from "../callbacks.js";
import type { Translate } from "../i18n.js";

export function mainMenu(t: Translate): InlineKeyboard {
  return new InlineKeyboard()
    .text(t("menu.new"), cb.menu("new"))
    .row()
    .text(t("menu.cases"), cb.menu("cases"))
    .row()
    .text(t("menu.about"), cb.menu("about"))
    .text(t("menu.help"), cb.menu("help"));
}

export function languageKeyboard(current: string | undefined): InlineKeyboard {
  const mark = (l: string) => (l === current ? "✓ " : "");
  return new InlineKeyboard().text(`${mark("kk")}Қазақша`, cb.lang("kk")).text(`${mark("ru")}Русский`, cb.lang("ru"));
}
