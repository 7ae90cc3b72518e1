import { z } from "zod";

const dayKey = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD")
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), "not a real date");
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected HH:MM");

export const yearDataSchema = z
  .object({
    year: z.number().int().min(2000).max(2100),
    source: z.string().min(1),
    provisional: z.boolean().default(false),
    daysOff: z.array(dayKey),
    workingWeekends: z.array(dayKey).default([]),
  })
  .superRefine((data, ctx) => {
    for (const [field, days] of [
      ["daysOff", data.daysOff],
      ["workingWeekends", data.workingWeekends],
    ] as const) {
      days.forEach((d, i) => {
        if (!d.startsWith(`${data.year}-`)) ctx.addIssue({ code: "custom", path: [field, i], message: `${d} is not in ${data.year}` });
      });
    }
  });

export const workingTimeSchema = z.object({
  source: z.string().min(1),
  windows: z
    .array(z.tuple([clock, clock]))
    .min(1)
    .refine((ws) => ws.every(([a, b], i) => a < b && (i === 0 || ws[i - 1]![1] <= a)), "windows must be ordered and not overlap"),
  workingWeekdays: z.array(z.number().int().min(0).max(6)).min(1),
  fixedHolidays: z.array(
    z.object({
      date: z.string().regex(/^\d{2}-\d{2}$/, "expected MM-DD"),
      name: z.string(),
      substitute: z.boolean().default(true),
      fromYear: z.number().int().optional(),
      untilYear: z.number().int().optional(),
    }),
  ),
  fixedHolidaysSource: z.string(),
});

export type YearData = z.infer<typeof yearDataSchema>;
export type WorkingTime = z.infer<typeof workingTimeSchema>;
