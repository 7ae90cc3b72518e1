import path from "node:path";
import { fileURLToPath } from "node:url";
import { DataFileError, parseDataFile } from "../data-file.js";
import {
  SERVICE_IDS,
  documentsFileSchema,
  serviceFileSchema,
  type DocumentsFile,
  type FileFormat,
  type ServiceFile,
  type ServiceId,
  type StepDef,
  type Text,
  type Variant,
} from "./schema.js";

export const catalogDataDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "data");

export interface ChecklistItem {
  id: string;
  name: Text;
  hint: Text;
  formats: FileFormat[];
  multiple: boolean;
  required: boolean;
}

export interface ServiceVariant {
  service: ServiceFile;
  variant: Variant;
  checklist: ChecklistItem[];
  steps: StepDef[];
  overallTerm?: StepDef["term"];
}

export class Catalog {
  constructor(
    private readonly services: Map<ServiceId, ServiceFile>,
    private readonly checklists: Map<string, ChecklistItem[]>,
    private readonly documents: DocumentsFile["documents"],
  ) {}

  /** An item of the variant's checklist, or the dictionary's document for one asked later (the corrective action plan). */
  itemOf(sv: ServiceVariant, id: string): ChecklistItem {
    return sv.checklist.find((i) => i.id === id) ?? this.document(id);
  }

  /** A document of the dictionary outside any checklist (e.g. the corrective action plan). */
  document(id: string): ChecklistItem {
    const doc = this.documents[id];
    if (!doc) throw new Error(`unknown document ${id}`);
    return { id, ...doc, required: true };
  }

  service(id: ServiceId): ServiceFile {
    const s = this.services.get(id);
    if (!s) throw new Error(`unknown service ${id}`);
    return s;
  }

  all(): ServiceFile[] {
    return SERVICE_IDS.map((id) => this.service(id));
  }

  get(id: ServiceId, variant: Variant): ServiceVariant {
    const service = this.service(id);
    const v = service.variants[variant];
    return { service, variant, checklist: this.checklists.get(`${id}/${variant}`)!, steps: v.steps, ...(v.overallTerm ? { overallTerm: v.overallTerm } : {}) };
  }

  /** For ids read back from storage: the stored strings are checked, not cast. */
  stored(serviceId: string, variant: string): ServiceVariant {
    if (!(SERVICE_IDS as readonly string[]).includes(serviceId) || (variant !== "issuance" && variant !== "duplicate"))
      throw new Error(`unknown service or variant in storage: ${serviceId}/${variant}`);
    return this.get(serviceId as ServiceId, variant);
  }

  byCode(code: string): ServiceFile | undefined {
    return this.all().find((s) => s.code === code);
  }
}

/** Reads documents.json and one file per service; cross-references are checked too. */
export function loadCatalog(dir = catalogDataDir): Catalog {
  const docsFile = path.join(dir, "documents.json");
  const docs = parseDataFile(docsFile, documentsFileSchema).documents;
  const services = new Map<ServiceId, ServiceFile>();
  const checklists = new Map<string, ChecklistItem[]>();
  for (const id of SERVICE_IDS) {
    const file = path.join(dir, `${id}.json`);
    const service = parseDataFile(file, serviceFileSchema);
    const problems: string[] = [];
    if (service.id !== id) problems.push(`field "id": "${service.id}" does not match the file name`);
    for (const variant of ["issuance", "duplicate"] as const) {
      const v = service.variants[variant];
      const items: ChecklistItem[] = [];
      v.documents.forEach((ref, i) => {
        const doc = docs[ref.id];
        if (!doc) problems.push(`field "variants.${variant}.documents.${i}.id": "${ref.id}" is not in documents.json`);
        else items.push({ id: ref.id, ...doc, required: ref.required });
      });
      const stepIds = new Set<string>();
      v.steps.forEach((step, i) => {
        if (stepIds.has(step.id)) problems.push(`field "variants.${variant}.steps.${i}.id": "${step.id}" repeats`);
        if (step.from !== "previous" && step.from !== "submission" && !stepIds.has(step.from))
          problems.push(`field "variants.${variant}.steps.${i}.from": "${step.from}" is not an earlier step`);
        if (i === 0 && step.from === "previous") problems.push(`field "variants.${variant}.steps.0.from": the first step must count from "submission"`);
        stepIds.add(step.id);
      });
      checklists.set(`${id}/${variant}`, items);
    }
    if (problems.length) throw new DataFileError(file, problems);
    services.set(id, service);
  }
  return new Catalog(services, checklists, docs);
}
