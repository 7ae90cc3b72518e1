// Drives the sandbox's web chat API as the page does: say, press a button by its label, send a
// file or the contact, and wait for what the bot answers.
import type { SandboxMessage } from "../../sandbox/server.js";

export class SandboxClient {
  constructor(readonly url: string) {}

  private async post(path: string, body: unknown) {
    const r = await fetch(`${this.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  }

  async messages(persona: number): Promise<SandboxMessage[]> {
    return ((await (await fetch(`${this.url}/api/chat/${persona}`)).json()) as { messages: SandboxMessage[] }).messages;
  }

  async commands(persona: number): Promise<string[]> {
    return ((await (await fetch(`${this.url}/api/chat/${persona}`)).json()) as { commands: Array<{ command: string }> }).commands.map((c) => c.command);
  }

  say(persona: number, text: string) {
    return this.post(`/api/chat/${persona}/text`, { text });
  }

  contact(persona: number) {
    return this.post(`/api/chat/${persona}/contact`, {});
  }

  file(persona: number, name: string, bytes: Uint8Array, mime = "application/pdf") {
    return this.post(`/api/chat/${persona}/file`, { name, mime, base64: Buffer.from(bytes).toString("base64") });
  }

  /** Waits for a bot message whose text contains `text`, after the first `after` messages. */
  async waitFor(persona: number, text: string, after = 0, ms = 30_000): Promise<SandboxMessage> {
    const end = Date.now() + ms;
    for (;;) {
      const found = (await this.messages(persona)).slice(after).find((m) => m.from === "bot" && (m.text ?? m.caption ?? "").includes(text));
      if (found) return found;
      if (Date.now() > end) throw new Error(`no "${text}" for ${persona}: ${(await this.messages(persona)).map((m) => m.text?.slice(0, 60)).join(" | ")}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Presses the button labelled `label` on the latest bot message that has one. */
  async press(persona: number, label: string, ms = 30_000): Promise<void> {
    const end = Date.now() + ms;
    for (;;) {
      const messages = await this.messages(persona);
      for (const m of [...messages].reverse()) {
        const b = (m.replyMarkup?.inline_keyboard ?? []).flat().find((x: { text: string }) => x.text.includes(label));
        if (b) return this.post(`/api/chat/${persona}/press`, { messageId: m.id, data: b.callback_data });
      }
      if (Date.now() > end) throw new Error(`no button "${label}" for ${persona}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** How many messages the chat has now (to wait for what comes after). */
  async count(persona: number): Promise<number> {
    return (await this.messages(persona)).length;
  }
}
