// Documents are kept on our disk (content-addressed by SHA-256), not only as Telegram file ids,
// which expire with the bot token and cannot be read by anyone else.
import { mkdir, writeFile, access } from "node:fs/promises";
import path from "node:path";

export interface FileStore {
  /** Downloads a file Telegram holds, given its file_path from getFile. */
  download(filePath: string): Promise<Uint8Array>;
  save(sha256: string, bytes: Uint8Array): Promise<string>;
}

export function createFileStore(options: { apiRoot: string; token: string; dir: string; fetch?: typeof fetch }): FileStore {
  const doFetch = options.fetch ?? fetch;
  return {
    async download(filePath) {
      // A self-hosted Bot API server in --local mode answers with an absolute local path.
      const url = `${options.apiRoot}/file/bot${options.token}/${filePath}`;
      const res = await doFetch(url);
      if (!res.ok) throw new Error(`file download failed with HTTP ${res.status}`);
      return new Uint8Array(await res.arrayBuffer());
    },
    async save(sha256, bytes) {
      const rel = path.join(sha256.slice(0, 2), sha256);
      const full = path.join(options.dir, rel);
      await mkdir(path.dirname(full), { recursive: true });
      const exists = await access(full).then(
        () => true,
        () => false,
      );
      if (!exists) await writeFile(full, bytes);
      return rel;
    },
  };
}
