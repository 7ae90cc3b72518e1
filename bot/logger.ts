import pino from "pino";

export type Logger = pino.Logger;

/** Structured JSON logs; personal numbers and contacts never appear in full. */
export function createLogger(level = "info"): Logger {
  return pino({
    level,
    base: { app: "qanat" },
    redact: { paths: ["*.phone", "*.email", "*.idNumber", "*.token", "*.phone_number"], censor: "[redacted]" },
  });
}

/**
 * An error as one short line for the log. Database errors can quote the query's values (a
 * name, a BIN): only the error's name and its last line are kept, and long digit runs (BIN,
 * IIN, phone numbers) keep their last four digits.
 */
export function brief(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const name = error instanceof Error ? `${error.name}: ` : "";
  return `${name}${lines.at(-1) ?? ""}`.slice(0, 300).replace(/\d{6,}(\d{4})/g, "…$1");
}
