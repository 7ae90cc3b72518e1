// Applicant details: the checks a clerk would make before accepting an application.
import { z } from "zod";

export type ApplicantType = "legal" | "individual";
export type IdProblem = "format" | "checksum" | "not-bin" | "not-iin";

/** The official check digit of a 12-digit IIN/BIN: weights 1..11, then 3..11,1,2 when the first sum mod 11 is 10. */
export function checkDigit(first11: string): number | undefined {
  const digits = [...first11].map(Number);
  const weigh = (weights: number[]) => digits.reduce((sum, d, i) => sum + d * weights[i]!, 0) % 11;
  let c = weigh([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  if (c === 10) c = weigh([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
  return c === 10 ? undefined : c;
}

/**
 * A BIN (legal entities: 5th digit 4, 5 or 6, the entity type) or an IIN (individuals: starts
 * with a birth date YYMMDD, 7th digit the century and sex, 0 for foreigners).
 */
export function validateIdNumber(input: string, type: ApplicantType): { ok: true; value: string } | { ok: false; problem: IdProblem } {
  const value = input.replace(/[\s-]/g, "");
  if (!/^\d{12}$/.test(value)) return { ok: false, problem: "format" };
  if (checkDigit(value.slice(0, 11)) !== Number(value[11])) return { ok: false, problem: "checksum" };
  if (type === "legal") {
    if (!"456".includes(value[4]!)) return { ok: false, problem: "not-bin" };
  } else {
    const month = Number(value.slice(2, 4));
    const day = Number(value.slice(4, 6));
    if (month < 1 || month > 12 || day < 1 || day > 31 || !"0123456".includes(value[6]!)) return { ok: false, problem: "not-iin" };
  }
  return { ok: true, value };
}

/** Kazakhstan numbers (+7 6xx / 7xx) as +7XXXXXXXXXX, from any usual way of writing them. */
export function normalizePhone(input: string): string | undefined {
  const trimmed = input.trim();
  if (!/^\+?[\d\s()-]+$/.test(trimmed)) return undefined;
  let digits = trimmed.replace(/\D/g, "");
  if (digits.length === 11 && (digits.startsWith("8") || digits.startsWith("7"))) digits = digits.slice(1);
  if (digits.length !== 10 || !/^[67]/.test(digits)) return undefined;
  return `+7${digits}`;
}

const emailSchema = z.string().trim().toLowerCase().pipe(z.email());

export function normalizeEmail(input: string): string | undefined {
  const r = emailSchema.safeParse(input);
  return r.success ? r.data : undefined;
}

/** An organization or person name: letters in any script, a sensible length. */
export function normalizeName(input: string): string | undefined {
  const value = input.replace(/\s+/g, " ").trim();
  if (value.length < 3 || value.length > 200 || !/\p{L}/u.test(value)) return undefined;
  return value;
}
