import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { button, type ApiCall, type FakeUser } from "./fake-telegram.js";

/** /start, "new application", the service and the variant by their button labels, then "start". */
export async function beginApplication(u: FakeUser, service: string, variant: string, start: "Начать" | "Бастау"): Promise<ApiCall[]> {
  await u.say("/start");
  let r = await u.press("m:new");
  r = await u.press(button(r, service));
  r = await u.press(button(r, variant));
  return u.press(button(r, start));
}

/** A copy of a data folder with one JSON file edited, to check how a broken file is reported. */
export async function brokenCopy(dataDir: string, file: string, edit: (json: any) => void): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "qanat-data-"));
  await cp(dataDir, dir, { recursive: true });
  const json = JSON.parse(await readFile(path.join(dir, file), "utf8"));
  edit(json);
  await writeFile(path.join(dir, file), JSON.stringify(json));
  return dir;
}
