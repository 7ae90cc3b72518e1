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
