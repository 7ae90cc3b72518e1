// Rules live in data files; a broken one must stop the bot with a message that names the
// file and the field, not with a stack trace from deep inside a computation.
import { readFileSync } from "node:fs";
import type { z } from "zod";

export class DataFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.join("; ")}`);
    this.name = "DataFileError";
  }
}

export function parseDataFile<S extends z.ZodType>(file: string, schema: S, text?: string): z.infer<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(text ?? readFileSync(file, "utf8"));
  } catch (error) {
    throw new DataFileError(file, [`not valid JSON (${(error as Error).message})`]);
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new DataFileError(
      file,
      result.error.issues.map((issue) => `field "${issue.path.join(".") || "(root)"}": ${issue.message}`),
    );
  }
  return result.data;
}
