// multipart/form-data as the Bot API receives it from grammY (InputFile uploads): fields as
// JSON where they parse, files as { name, bytes }, and "attach://" references resolved.
export function parseMultipart(body: Buffer, contentType: string): Record<string, any> {
  const boundaryMatch = /boundary=(.+)$/.exec(contentType);
  if (!boundaryMatch) return {};
  const boundary = Buffer.from(`--${boundaryMatch[1]}`);
  const out: Record<string, any> = {};
  let at = body.indexOf(boundary);
  while (at !== -1) {
    const start = at + boundary.length;
    const next = body.indexOf(boundary, start);
    if (next === -1) break;
    const part = body.subarray(start, next);
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString("utf8");
      let content = part.subarray(headerEnd + 4);
      if (content.subarray(-2).toString() === "\r\n") content = content.subarray(0, -2);
      const name = /name="([^"]+)"/.exec(headers)?.[1];
      const filename = /filename="?([^"\r\n]*)"?/.exec(headers)?.[1];
      if (name && filename !== undefined) out[name] = { name: filename, bytes: new Uint8Array(content) };
      else if (name) {
        const text = content.toString("utf8");
        try {
          out[name] = JSON.parse(text);
        } catch {
          out[name] = text;
        }
      }
    }
    at = next;
  }
  // Telegram's convention: a file field may say attach://<part>.
  for (const [key, value] of Object.entries(out)) {
    if (typeof value === "string" && value.startsWith("attach://")) out[key] = out[value.slice("attach://".length)];
  }
  return out;
}
