// Callback data comes from the client and can be forged: every press is parsed against this
// list (zod), and anything else is answered as an expired button.
import { z } from "zod";
import { SERVICE_IDS, VARIANTS } from "../flows/catalog/schema.js";

const int = z.coerce.number().int().min(0).max(2_147_483_647);

const patterns = {
  lang: [/^l:(kk|ru)$/, (m: RegExpExecArray) => ({ lang: z.enum(["kk", "ru"]).parse(m[1]) })],
  menu: [
    /^m:(new|cases|about|help|resume|discard|home)$/,
    (m: RegExpExecArray) => ({ item: m[1] as "new" | "cases" | "about" | "help" | "resume" | "discard" | "home" }),
  ],
  case: [/^c:(\d+)$/, (m: RegExpExecArray) => ({ caseId: int.parse(m[1]) })],
  service: [/^a:svc:([a-z-]+)$/, (m: RegExpExecArray) => ({ serviceId: z.enum(SERVICE_IDS).parse(m[1]) })],
  variant: [/^a:var:([a-z]+)$/, (m: RegExpExecArray) => ({ variant: z.enum(VARIANTS).parse(m[1]) })],
  applicantType: [/^a:type:([a-z]+)$/, (m: RegExpExecArray) => ({ applicantType: z.enum(["legal", "individual"]).parse(m[1]) })],
  removeFile: [/^a:rm:(\d+)$/, (m: RegExpExecArray) => ({ fileId: int.parse(m[1]) })],
  fixItem: [/^a:fix:(\d+)$/, (m: RegExpExecArray) => ({ index: int.parse(m[1]) })],
  action: [
    /^a:(go|back|done|skip|keep|submit|details|cancel)$/,
    (m: RegExpExecArray) => ({ action: m[1] as "go" | "back" | "done" | "skip" | "keep" | "submit" | "details" | "cancel" }),
  ],
  applicant: [/^p:(fix|plan):(\d+)$/, (m: RegExpExecArray) => ({ task: m[1] as "fix" | "plan", caseId: int.parse(m[2]) })],
  staffCase: [/^s:c:(\d+)$/, (m: RegExpExecArray) => ({ caseId: int.parse(m[1]) })],
  staffDocs: [/^s:d:(\d+)$/, (m: RegExpExecArray) => ({ caseId: int.parse(m[1]) })],
  /** the version makes a second press on an old card lose against the first */
  staffAction: [/^s:a:(\d+):([a-z-]{1,30}):(\d+)$/, (m: RegExpExecArray) => ({ caseId: int.parse(m[1]), actionId: m[2]!, version: int.parse(m[3]) })],
  staffQueue: [/^s:q$/, () => ({})],
  /** inputs inside staff conversations (they take the "x:" presses, the application the "a:" ones) */
  pick: [/^x:(ok|no|today|same)$/, (m: RegExpExecArray) => ({ choice: m[1] as "ok" | "no" | "today" | "same" })],
  toggle: [/^x:i:(\d+)$/, (m: RegExpExecArray) => ({ index: int.parse(m[1]) })],
  audience: [/^x:aud:(case|service|open|all)$/, (m: RegExpExecArray) => ({ audience: m[1] as "case" | "service" | "open" | "all" })],
  audienceService: [/^x:svc:([a-z-]+)$/, (m: RegExpExecArray) => ({ serviceId: z.enum(SERVICE_IDS).parse(m[1]) })],
} as const;

type Patterns = typeof patterns;
export type Callback = { [K in keyof Patterns]: { kind: K } & ReturnType<Patterns[K][1]> }[keyof Patterns];

export function parseCallback(data: string | undefined): Callback | undefined {
  if (!data || data.length > 64) return undefined;
  for (const [kind, [re, build]] of Object.entries(patterns) as Array<[keyof Patterns, Patterns[keyof Patterns]]>) {
    const m = re.exec(data);
    if (!m) continue;
    try {
      return { kind, ...(build as (m: RegExpExecArray) => object)(m) } as Callback;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export const cb = {
  lang: (lang: string) => `l:${lang}`,
  menu: (item: string) => `m:${item}`,
  case: (id: number) => `c:${id}`,
  service: (id: string) => `a:svc:${id}`,
  variant: (v: string) => `a:var:${v}`,
  applicantType: (t: string) => `a:type:${t}`,
  removeFile: (id: number) => `a:rm:${id}`,
  fixItem: (i: number) => `a:fix:${i}`,
  applicant: (task: "fix" | "plan", caseId: number) => `p:${task}:${caseId}`,
  staffCase: (id: number) => `s:c:${id}`,
  staffDocs: (id: number) => `s:d:${id}`,
  staffAction: (id: number, action: string, version: number) => `s:a:${id}:${action}:${version}`,
  staffQueue: () => "s:q",
  pick: (choice: "ok" | "no" | "today" | "same") => `x:${choice}`,
  toggle: (i: number) => `x:i:${i}`,
  audience: (a: "case" | "service" | "open" | "all") => `x:aud:${a}`,
  audienceService: (id: string) => `x:svc:${id}`,
  action: (a: "go" | "back" | "done" | "skip" | "keep" | "submit" | "details" | "cancel") => `a:${a}`,
};
