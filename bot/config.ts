import { z } from "zod";

const ids = z
  .string()
  .default("")
  .transform((s, ctx) => {
    const parts = s
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean);
    const bad = parts.filter((p) => !/^\d{1,15}$/.test(p));
    if (bad.length) {
      ctx.addIssue({ code: "custom", message: `not Telegram user ids: ${bad.join(", ")}` });
      return z.NEVER;
    }
    return parts.map((p) => BigInt(p));
  });

const common = {
  BOT_TOKEN: z
    .string({ error: "is required (get one from @BotFather)" })
    .regex(/^\d+:[\w-]{30,}$/, "does not look like a bot token (digits:letters, from @BotFather)"),
  BOT_API_ROOT: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
    .default("https://api.telegram.org")
    .transform((u) => u.replace(/\/+$/, "")),
  DATABASE_URL: z
    .string()
    .optional()
    .transform((s) => (s === "" ? undefined : s))
    .refine((s) => s === undefined || /^postgres(ql)?:\/\//.test(s), "must be a postgresql:// URL (leave it unset for the embedded database)"),
  DATA_DIR: z.string().min(1).default("./data"),
  ADMIN_IDS: ids,
  /** made staff at start (unless they are admins); others are added with /staff */
  STAFF_IDS: ids,
  /** a staff group chat (negative id) for case notices; unset: each staff member is told */
  STAFF_CHAT_ID: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s.trim() === "") return undefined;
      if (!/^-?\d{1,16}$/.test(s.trim())) {
        ctx.addIssue({ code: "custom", message: "must be a Telegram chat id (e.g. -1001234567890)" });
        return z.NEVER;
      }
      return BigInt(s.trim());
    }),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** how long an instance's claim on an update lasts without renewal (a killed instance's is taken over after it) */
  INBOX_LEASE_SECONDS: z.coerce.number().min(1).max(600).default(20),
  /** the HTTP port: the webhook (webhook mode) and GET /healthz (both modes) */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** 20 MB is what the public Bot API lets a bot download; a self-hosted Bot API server allows more. */
  MAX_FILE_MB: z.coerce.number().positive().max(2000).default(20),
};

export const configSchema = z.discriminatedUnion("BOT_MODE", [
  z.object({ BOT_MODE: z.literal("polling"), ...common }),
  z.object({
    BOT_MODE: z.literal("webhook"),
    ...common,
    /** the public https URL Telegram calls; the bot registers it at start (path /telegram is added when missing) */
    WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
    WEBHOOK_SECRET: z.string().regex(/^[\w-]{16,256}$/, "16-256 characters of A-Z, a-z, 0-9, _ and -"),
  }),
]);

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse({ BOT_MODE: "polling", ...env, ...(env.BOT_MODE ? {} : { BOT_MODE: "polling" }) });
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".") || "BOT_MODE"}: ${i.message}`);
    throw new ConfigError(`Configuration is not valid:\n${lines.join("\n")}`);
  }
  return result.data;
}
