import type { Insertable } from "kysely";
import type { CasesTable, Db, Dialect } from "../../db/database.js";
import type { Store } from "../../db/store.js";
import type { ErrorField } from "../../http/errors.js";
import { MAX_ROW_ID } from "../../http/schema-bounds.js";
import type { CaseRow } from "../cases/cases.present.js";
import { ensureTags, insertCases, nextCasePositions } from "../cases/cases.repository.js";
import { blankCaseRow } from "../cases/cases.service.js";
import type { ProjectRow } from "../projects/projects.repository.js";
import { allocateIds } from "../projects/sequences.repository.js";
import { insertSuite, nextSuitePosition } from "../suites/suites.repository.js";
import { type CaseEnum, ENUM_FIELDS, enumId } from "../system-fields/system-fields.catalog.js";
import {
  type CaseRef,
  casesByIds,
  casesBySignatures,
  casesByTitles,
  liveSuiteTree,
  lockCaseMatching,
} from "./matching.repository.js";
import type { CaseSpec, IncomingResult } from "./results.incoming.js";

/** The case (and its version) each result is for; null when it is stored unlinked. */
export interface Match {
  caseId: number | null;
  caseVersion: number | null;
}

const SEP = "\u0000";
const pathKey = (path: string[]) => path.join(SEP);
const AUTOMATED = 2;
const CASE_FIELD_ENUMS: Exclude<CaseEnum, "automation">[] = [
  "severity",
  "priority",
  "type",
  "layer",
  "behavior",
];

/** Enum values already read, by field and text: a batch repeats the same few values. */
const enumMemo = new Map<string, number | undefined>();

/** Enum values from reporters come as slugs or titles ("Critical", "e2e"); unknown ones are ignored. */
function enumFromReport(field: CaseEnum, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const key = `${field}${SEP}${value}`;
  if (enumMemo.has(key)) return enumMemo.get(key);
  const id = readEnum(field, value);
  // Bounded: values come from clients; past 1000 distinct ones, stop remembering new ones.
  if (enumMemo.size < 1000) enumMemo.set(key, id);
  return id;
}

function readEnum(field: CaseEnum, value: string): number | undefined {
  const bySlug = enumId(field, value.trim().toLowerCase().replace(/\s+/g, "-"));
  if (bySlug !== undefined) return bySlug;
  const t = value.trim().toLowerCase();
  return ENUM_FIELDS[field].options.find((o) => o.title.toLowerCase() === t)?.id;
}

/** Reporters send tags as one comma-separated field. */
function tagsOf(s: CaseSpec): string[] {
  if (!s.fields.tags) return [];
  return [
    ...new Set(
      (s.fields.tags ?? "")
        .split(",")
        .map((t) => t.trim())
        .filter((t) => t !== "")
        .map((t) => t.slice(0, 255)),
    ),
  ];
}

class SuiteTree {
  private byPath = new Map<string, number>();
  constructor(rows: { id: number; parent_id: number | null; title: string }[]) {
    const byId = new Map(rows.map((r) => [r.id, r]));
    const pathOf = (id: number, seen = new Set<number>()): string[] | null => {
      const r = byId.get(id);
      if (!r || seen.has(id)) return null;
      seen.add(id);
      if (r.parent_id === null) return [r.title];
      const parent = pathOf(r.parent_id, seen);
      return parent ? [...parent, r.title] : null;
    };
    for (const r of rows) {
      const p = pathOf(r.id);
      if (p && !this.byPath.has(pathKey(p))) this.byPath.set(pathKey(p), r.id);
    }
  }
  find(path: string[]): number | null | undefined {
    if (path.length === 0) return null;
    return this.byPath.get(pathKey(path));
  }
  add(path: string[], id: number) {
    this.byPath.set(pathKey(path), id);
  }
}

/** How unmatched results are handled; prepare (SQLite) writes created cases through cached statements. */
export interface MatchOptions {
  autoCreate: boolean;
  authorId: number | null;
  at: number;
  prepare?: Store["prepare"];
}

/**
 * Finds the case of every result: explicit ids must exist (else errors naming them); otherwise by
 * signature, then by title within the suite path; otherwise creates the suite path and an automated
 * case (unless auto-creation is off, then the result stays unlinked). Returns one match list per result
 * (several for a result naming several cases).
 */
export async function matchCases(
  tx: Db,
  dialect: Dialect,
  project: ProjectRow,
  results: IncomingResult[],
  opts: MatchOptions,
  errors: ErrorField[],
): Promise<Match[][]> {
  // An id past the id range names no case: unknown like any other, without asking the database (on
  // PostgreSQL it is out of the column's range, and the query would fail).
  const explicit = [...new Set(results.flatMap((r) => r.caseIds ?? []))].filter((id) => id <= MAX_ROW_ID);
  const known = new Map((await casesByIds(tx, project.id, explicit)).map((c) => [c.id, c]));
  for (const r of results) {
    const missing = (r.caseIds ?? []).filter((id) => !known.has(id));
    if (missing.length > 0)
      errors.push({
        field: `${r.field}${r.caseIds && r.caseIds.length > 1 ? "testops_ids" : "testops_id"}`,
        error: `no test case ${missing.map((id) => `${project.code}-${id}`).join(", ")} in this project`,
      });
  }
  if (errors.length > 0) return [];

  const specs = results.flatMap((r) => (r.caseIds ? [] : r.spec ? [r.spec] : []));
  const bySpec = new Map<CaseSpec, CaseRef | null>();
  if (specs.length > 0) await resolveSpecs(tx, dialect, project, specs, bySpec, opts);
  return results.map((r) => {
    if (r.caseIds)
      return r.caseIds.map((id) => ({ caseId: id, caseVersion: known.get(id)?.version ?? null }));
    const c = r.spec ? bySpec.get(r.spec) : null;
    return [{ caseId: c?.id ?? null, caseVersion: c?.version ?? null }];
  });
}

/**
 * Links each spec to its case, creating what is missing. Matching alone takes no lock, so batches of
 * shards that only match (every run after the first) go side by side. Creating takes the project's
 * matching lock, one creating batch at a time, so no case is created twice; on PostgreSQL it then looks
 * again for what it is about to create, which another batch may have committed since the first look.
 */
async function resolveSpecs(
  tx: Db,
  dialect: Dialect,
  project: ProjectRow,
  specs: CaseSpec[],
  out: Map<CaseSpec, CaseRef | null>,
  opts: MatchOptions,
) {
  let found = await matchExisting(tx, project, specs, out, opts);
  if (found.rest.length === 0) return;
  if (!opts.autoCreate) {
    for (const s of found.rest) out.set(s, null);
    return;
  }
  await lockCaseMatching(tx, dialect, project.id);
  if (dialect === "postgres") {
    found = await matchExisting(tx, project, found.rest, out, opts);
    if (found.rest.length === 0) return;
  }
  if (found.tree) await createCases(tx, project, found.rest, found.tree, out, opts);
}

/** Links specs to live cases by signature, then by title within their suite path; returns the rest. */
async function matchExisting(
  tx: Db,
  project: ProjectRow,
  specs: CaseSpec[],
  out: Map<CaseSpec, CaseRef | null>,
  opts: MatchOptions,
): Promise<{ rest: CaseSpec[]; tree: SuiteTree | null }> {
  const sigs = [...new Set(specs.flatMap((s) => (s.signature ? [s.signature] : [])))];
  const bySig = new Map<string, CaseRef>();
  for (const c of await casesBySignatures(tx, project.id, sigs, opts.prepare))
    if (c.signature && !bySig.has(c.signature)) bySig.set(c.signature, c);

  let rest = specs.filter((s) => {
    const c = s.signature ? bySig.get(s.signature) : undefined;
    if (c) out.set(s, c);
    return !c;
  });
  // Reruns of tests with signatures end here, without reading the suite tree.
  if (rest.length === 0) return { rest, tree: null };
  const tree = new SuiteTree(await liveSuiteTree(tx, project.id));
  const byTitle = new Map<string, CaseRef>();
  for (const c of await casesByTitles(tx, project.id, [...new Set(rest.map((s) => s.title))], opts.prepare)) {
    const key = `${c.suite_id ?? ""}${SEP}${c.title}`;
    if (!byTitle.has(key)) byTitle.set(key, c);
  }
  rest = rest.filter((s) => {
    const suiteId = tree.find(s.suitePath);
    const c = suiteId === undefined ? undefined : byTitle.get(`${suiteId ?? ""}${SEP}${s.title}`);
    if (c) out.set(s, c);
    return !c;
  });
  return { rest, tree };
}

/** Creates the cases (and suite paths) of specs nothing matched, one case per (path, title). */
async function createCases(
  tx: Db,
  project: ProjectRow,
  rest: CaseSpec[],
  tree: SuiteTree,
  out: Map<CaseSpec, CaseRef | null>,
  opts: MatchOptions,
) {
  // Create what is missing: tags (locks in the order every writer takes them: tags, then sequences),
  // suite paths, then one case per (path, title), shared by the batch.
  const tagIds = await ensureTags(
    tx,
    rest.flatMap((s) => tagsOf(s)),
    opts.at,
  );
  // Paths already in the tree (all but the batch's first result in each new suite) need no visit.
  for (const s of rest)
    if (tree.find(s.suitePath) === undefined)
      await ensureSuitePath(tx, project.id, tree, s.suitePath, opts.at);
  const keys = new Map<CaseSpec, string>();
  const unique = new Map<string, CaseSpec>();
  for (const s of rest) {
    const key = `${pathKey(s.suitePath)}${SEP}${SEP}${s.title}`;
    keys.set(s, key);
    if (!unique.has(key)) unique.set(key, s);
  }
  const toCreate = [...unique.values()];
  const first = await allocateIds(tx, project.id, "case", toCreate.length);
  const suiteIds = toCreate.map((s) => tree.find(s.suitePath) ?? null);
  const positions = await nextCasePositions(tx, project.id, suiteIds);
  const rows: CaseRow[] = [];
  for (const [i, s] of toCreate.entries()) {
    const suiteId = suiteIds[i] ?? null;
    const position = positions.get(suiteId) ?? 1;
    positions.set(suiteId, position + 1);
    const tags = tagsOf(s);
    // Assigned over the blank row, not spread into a copy: same keys, same order, one object.
    const row = blankCaseRow(project.id, first + i, suiteId, position, opts.authorId);
    row.title = s.title;
    row.signature = s.signature;
    row.automation = AUTOMATED;
    row.description = s.fields.description ?? null;
    row.preconditions = s.fields.preconditions ?? null;
    row.postconditions = s.fields.postconditions ?? null;
    row.tags =
      tags.length === 0
        ? "[]"
        : JSON.stringify(tags.map((title) => ({ title, internal_id: tagIds.get(title) ?? 0 })));
    row.created_at = opts.at;
    row.updated_at = opts.at;
    for (const key of CASE_FIELD_ENUMS) {
      const id = enumFromReport(key, s.fields[key]);
      if (id !== undefined) row[key] = id;
    }
    rows.push(row);
  }
  // No version row yet: a case with none is at version 1 and its live row is that version; the first
  // change writes version 1 before version 2 (reviseCase). Reporters create thousands of cases a batch,
  // most never edited, and writing each one's snapshot twice cost a tenth of a batch on PostgreSQL.
  await insertCases(tx, rows as Insertable<CasesTable>[], opts.prepare);
  const created = new Map<string, CaseRef>();
  for (const [i, s] of toCreate.entries()) {
    const r = rows[i] as CaseRow;
    created.set(keys.get(s) as string, {
      id: r.id,
      version: r.version,
      title: r.title,
      suite_id: r.suite_id,
      signature: r.signature,
    });
  }
  for (const s of rest) out.set(s, created.get(keys.get(s) as string) ?? null);
}

async function ensureSuitePath(tx: Db, projectId: number, tree: SuiteTree, path: string[], at: number) {
  let parent: number | null = null;
  for (let depth = 1; depth <= path.length; depth++) {
    const prefix = path.slice(0, depth);
    const found = tree.find(prefix);
    if (found !== undefined && found !== null) {
      parent = found;
      continue;
    }
    const id = await allocateIds(tx, projectId, "suite");
    await insertSuite(tx, {
      project_id: projectId,
      id,
      parent_id: parent,
      title: (prefix[prefix.length - 1] ?? "").slice(0, 255),
      description: null,
      preconditions: null,
      position: await nextSuitePosition(tx, projectId, parent),
      created_at: at,
      updated_at: at,
      deleted_at: null,
    });
    tree.add(prefix, id);
    parent = id;
  }
}
