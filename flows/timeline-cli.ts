// npm run --silent timeline -- --service aoc --variant issuance --from 2026-03-05T17:00:00+05:00
import { parseArgs } from "node:util";
import { z } from "zod";
import { loadCalendar } from "./calendar/load.js";
import { toKzIso } from "./calendar/kz-time.js";
import { loadCatalog } from "./catalog/load.js";
import { SERVICE_IDS, VARIANTS } from "./catalog/schema.js";
import { computeTimeline } from "./timeline.js";

const args = z.object({
  service: z.enum(SERVICE_IDS),
  variant: z.enum(VARIANTS),
  from: z
    .string()
    .refine(
      (s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)),
      "expected an ISO 8601 time with its offset, e.g. 2026-03-05T17:00:00+05:00",
    ),
});

const { values } = parseArgs({ options: { service: { type: "string" }, variant: { type: "string" }, from: { type: "string" } } });
const parsed = args.safeParse(values);
if (!parsed.success) {
  for (const issue of parsed.error.issues) console.error(`--${issue.path.join(".")}: ${issue.message}`);
  console.error("usage: npm run --silent timeline -- --service aoc|aerial-work|ga-flights --variant issuance|duplicate --from 2026-03-05T17:00:00+05:00");
  process.exit(2);
}
const { service, variant, from } = parsed.data;
const calendar = loadCalendar(undefined, {
  onFallbackYear: (y) => console.error(`warning: no calendar data for ${y}; using the holidays law without transfers`),
});
const sv = loadCatalog().get(service, variant);
const timeline = computeTimeline(calendar, sv, new Date(from));
console.log(
  JSON.stringify(
    {
      service,
      variant,
      from: toKzIso(new Date(from)),
      steps: timeline.steps.map((s) => ({ id: s.id, title: s.title, due: toKzIso(s.due) })),
      due: toKzIso(timeline.due),
    },
    null,
    2,
  ),
);
