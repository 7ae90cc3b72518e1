import { z } from "zod";

const text = z.object({ kk: z.string().min(1), ru: z.string().min(1) });
export const FORMATS = ["pdf", "jpg", "png", "docx", "xlsx"] as const;
export type FileFormat = (typeof FORMATS)[number];

export const documentsFileSchema = z.object({
  note: z.string(),
  documents: z.record(
    z.string().regex(/^[a-z][a-z0-9-]*$/),
    z.object({
      name: text,
      hint: text,
      formats: z.array(z.enum(FORMATS)).min(1),
      multiple: z.boolean(),
    }),
  ),
});

const term = z.object({
  value: z.number().positive(),
  unit: z.enum(["minutes", "hours", "workingDays"]),
});

export const stepSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  title: text,
  term,
  /** where the term is counted from: the previous step's (real or planned) end, the submission, or a named step */
  from: z.string().default("previous"),
  /** who owes the step: the provider, or the applicant (e.g. the corrective action plan) */
  owner: z.enum(["provider", "applicant"]).default("provider"),
  source: z.string().min(1),
  note: z.string().optional(),
});

const variantSchema = z.object({
  /** the legal term of the whole procedure, where the text gives one; no step is planned past it */
  overallTerm: term.extend({ source: z.string().min(1) }).optional(),
  documents: z.array(z.object({ id: z.string(), required: z.boolean() })).min(1),
  steps: z.array(stepSchema).min(1),
});

export const serviceFileSchema = z.object({
  id: z.enum(["aoc", "aerial-work", "ga-flights"]),
  code: z.string().regex(/^[A-Z]{2,4}$/),
  title: text,
  shortTitle: text,
  applicantTypes: z.array(z.enum(["legal", "individual"])).min(1),
  payment: z.boolean(),
  source: z.string(),
  checklistNote: z.string(),
  variants: z.object({ issuance: variantSchema, duplicate: variantSchema }),
});

export type Text = z.infer<typeof text>;
export type StepDef = z.infer<typeof stepSchema>;
export type ServiceFile = z.infer<typeof serviceFileSchema>;
export type DocumentsFile = z.infer<typeof documentsFileSchema>;
export type ServiceId = ServiceFile["id"];
export type Variant = "issuance" | "duplicate";
export const SERVICE_IDS = ["aoc", "aerial-work", "ga-flights"] as const satisfies readonly ServiceId[];
export const VARIANTS = ["issuance", "duplicate"] as const satisfies readonly Variant[];
