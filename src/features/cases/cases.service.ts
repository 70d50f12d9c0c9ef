import type { Insertable } from "kysely";
import type { AppContext } from "../../context.js";
import type { CasesTable, Db } from "../../db/database.js";
import { now } from "../../db/time.js";
import { inTransaction } from "../../db/transaction.js";
import { type ErrorField, fail } from "../../http/errors.js";
import type { Principal } from "../../http/principal.js";
import { type AttachmentRefs, attachmentRefErrors } from "../attachments/attachment-check.js";
import { caseReferenceErrors } from "../custom-fields/case-references.js";
import type { ProjectRow } from "../projects/projects.repository.js";
import { allocateIds, lockSequence } from "../projects/sequences.repository.js";
import { findSuite } from "../suites/suites.repository.js";
import { ENUM_FIELDS } from "../system-fields/system-fields.catalog.js";
import {
  type CaseChanges,
  type CaseCreateInput,
  type CaseUpdateInput,
  normaliseCase,
} from "./cases.input.js";
import { type CaseRow, changedFields, presentCase, type StoredExternalIssues } from "./cases.present.js";
import {
  type CaseFilter,
  ensureTags,
  existingUserIds,
  findCase,
  findCaseForUpdate,
  insertCases,
  insertVersionIfMissing,
  insertVersions,
  listCases,
  liveCasesInSuites,
  liveIds,
  nextCasePosition,
  updateCaseRow,
} from "./cases.repository.js";

type Patch = Partial<Omit<CaseRow, "project_id" | "id">>;

/** 404 for a case that never existed, 410 for a deleted one or one whose suite was deleted. */
export async function liveCase(db: Db, project: ProjectRow, id: number): Promise<CaseRow> {
  const row = await findCase(db, project.id, id);
  if (!row) throw fail.notFound(`Test case ${project.code}-${id}`);
  if (row.deleted_at !== null) throw fail.gone(`Test case ${project.code}-${id}`);
  if (row.suite_id !== null) {
    const suite = await findSuite(db, project.id, row.suite_id);
    if (suite?.deleted_at != null) throw fail.gone(`Test case ${project.code}-${id} (its suite)`);
  }
  return row;
}

export async function listCasesPage(
  ctx: AppContext,
  project: ProjectRow,
  filter: CaseFilter,
  limit: number,
  offset: number,
) {
  const { rows, total, filtered } = await listCases(ctx.db, project, filter, limit, offset);
  return { entities: rows.map(presentCase), total, filtered };
}

/**
 * Suites, milestones, authors, custom fields (enabled case fields), shared steps and attachments a write
 * refers to must exist (live) in the project.
 */
async function checkReferences(
  db: Db,
  projectId: number,
  writes: { c: CaseChanges; prefix: string; sharedSteps: Set<string>; attachments: AttachmentRefs[] }[],
  /** The case an update applies to (custom field values change only where named); absent on create. */
  before?: CaseRow,
) {
  const errors: ErrorField[] = [];
  const suites = writes.flatMap(({ c }) => (typeof c.suite_id === "number" ? [c.suite_id] : []));
  const milestones = writes.flatMap(({ c }) => (typeof c.milestone_id === "number" ? [c.milestone_id] : []));
  const authors = writes.flatMap(({ c }) => (typeof c.author_id === "number" ? [c.author_id] : []));
  const [liveSuites, liveMilestones, users, attachmentErrors] = await Promise.all([
    liveIds(db, "suites", projectId, suites),
    liveIds(db, "milestones", projectId, milestones),
    existingUserIds(db, authors),
    attachmentRefErrors(
      db,
      projectId,
      writes.flatMap((w) => w.attachments),
    ),
  ]);
  for (const { c, prefix } of writes) {
    if (typeof c.suite_id === "number" && !liveSuites.has(c.suite_id))
      errors.push({
        field: `${prefix}suite_id`,
        error: `suite ${c.suite_id} does not exist in this project`,
      });
    if (typeof c.milestone_id === "number" && !liveMilestones.has(c.milestone_id))
      errors.push({
        field: `${prefix}milestone_id`,
        error: `milestone ${c.milestone_id} does not exist in this project`,
      });
    if (typeof c.author_id === "number" && !users.has(c.author_id))
      errors.push({ field: `${prefix}author_id`, error: `user ${c.author_id} does not exist` });
  }
  errors.push(...attachmentErrors);
  const refs = writes.map((w) => ({
    prefix: w.prefix,
    customFields: w.c.custom_fields,
    full: before === undefined,
    storedFields: before?.custom_fields,
    sharedSteps: w.sharedSteps,
  }));
  const checked = await caseReferenceErrors(db, projectId, refs);
  errors.push(...checked.errors);
  // What each write stores: checked values, with defaults of required fields filled in.
  for (const [i, w] of writes.entries()) {
    const values = checked.customFields[i];
    if (values !== undefined) w.c.custom_fields = values;
  }
  return errors;
}

/** Column patch from normalised changes (tags resolved to [{title, internal_id}]). */
function toPatch(c: CaseChanges, tagIds: Map<string, number>): Patch {
  const { tagTitles, ...columns } = c;
  const patch: Patch = { ...columns };
  if (tagTitles !== undefined) {
    patch.tags = JSON.stringify(tagTitles.map((title) => ({ title, internal_id: tagIds.get(title) ?? 0 })));
  }
  return patch;
}

export function versionRow(row: CaseRow, changes: string[], by: number | null, at: number) {
  return {
    project_id: row.project_id,
    case_id: row.id,
    version: row.version,
    snapshot: JSON.stringify(presentCase(row)),
    changes: JSON.stringify(changes),
    changed_by: by,
    changed_at: at,
  };
}

/**
 * Version 1 of a case still at version 1, from its live row: made by its author when it was created.
 * Cases created by reporters have no version row until their first change (see case-matcher); history
 * reads this in its place, and the first change stores it.
 */
export function firstVersionOf(row: CaseRow) {
  return versionRow(row, [], row.author_id, row.created_at);
}

/** A case row with every field at its default; callers spread their own values over it. */
export function blankCaseRow(
  projectId: number,
  id: number,
  suiteId: number | null,
  position: number,
  authorId: number | null,
): CaseRow {
  return {
    project_id: projectId,
    id,
    suite_id: suiteId,
    title: "",
    description: null,
    preconditions: null,
    postconditions: null,
    severity: ENUM_FIELDS.severity.defaultId,
    priority: ENUM_FIELDS.priority.defaultId,
    type: ENUM_FIELDS.type.defaultId,
    layer: ENUM_FIELDS.layer.defaultId,
    behavior: ENUM_FIELDS.behavior.defaultId,
    automation: ENUM_FIELDS.automation.defaultId,
    status: ENUM_FIELDS.status.defaultId,
    is_flaky: 0,
    milestone_id: null,
    steps_type: null,
    steps: "[]",
    parameters: "[]",
    tags: "[]",
    custom_fields: "{}",
    attachments: "[]",
    external_issues: "[]",
    signature: null,
    position,
    author_id: authorId,
    version: 1,
    created_at: 0,
    updated_at: 0,
    deleted_at: null,
  };
}

/** Creates the cases all or nothing; returns their ids in input order. */
export async function createCases(
  ctx: AppContext,
  p: Principal,
  project: ProjectRow,
  inputs: (CaseCreateInput & { id?: number | null | undefined })[],
  bulk: boolean,
): Promise<number[]> {
  const errors: ErrorField[] = [];
  const writes = inputs.map((input, i) => {
    const prefix = bulk ? `cases.${i}.` : "";
    if (input.id !== undefined && input.id !== null) {
      errors.push({ field: `${prefix}id`, error: "case ids are allocated by the server; omit id" });
    }
    const { changes, sharedSteps, attachments } = normaliseCase(
      input,
      ENUM_FIELDS.automation.defaultId,
      errors,
      prefix,
    );
    return { c: changes, prefix, sharedSteps, attachments };
  });
  if (errors.length > 0) throw fail.invalidMany(errors);

  return inTransaction(ctx.db, async (tx) => {
    const at = now();
    // Tags before ids: every writer takes locks in the same order (sequences.repository).
    const tagIds = await ensureTags(
      tx,
      writes.flatMap(({ c }) => c.tagTitles ?? []),
      at,
    );
    const first = await allocateIds(tx, project.id, "case", writes.length);
    // Checked under the case sequence, which a suite deletion holds: a suite cannot go meanwhile.
    const refErrors = await checkReferences(tx, project.id, writes);
    if (refErrors.length > 0) throw fail.invalidMany(refErrors);
    const positions = new Map<number | null, number>();
    const rows: CaseRow[] = [];
    for (const [i, { c }] of writes.entries()) {
      const suiteId = c.suite_id ?? null;
      const position = positions.get(suiteId) ?? (await nextCasePosition(tx, project.id, suiteId));
      positions.set(suiteId, position + 1);
      const created = c.created_at ?? at;
      const row: CaseRow = {
        ...blankCaseRow(project.id, first + i, suiteId, position, p.user.id),
        ...toPatch(c, tagIds),
        created_at: created,
        updated_at: c.updated_at ?? created,
      };
      rows.push(row);
    }
    await insertCases(tx, rows as Insertable<CasesTable>[]);
    await insertVersions(
      tx,
      rows.map((r) => versionRow(r, [], p.user.id, at)),
    );
    return rows.map((r) => r.id);
  });
}

/**
 * Applies a patch to a locked case row: writes the row with version + 1 and the version's snapshot,
 * or does nothing when no content field changes. Returns the changed field names.
 */
export async function reviseCase(tx: Db, before: CaseRow, patch: Patch, by: number | null, at: number) {
  const draft: CaseRow = { ...before, ...patch };
  const changes = changedFields(presentCase(before), presentCase(draft));
  if (changes.length === 0) return changes;
  if (before.version === 1) await insertVersionIfMissing(tx, firstVersionOf(before));
  const after: CaseRow = { ...draft, version: before.version + 1, updated_at: at };
  await updateCaseRow(tx, before.project_id, before.id, { ...patch, version: after.version, updated_at: at });
  await insertVersions(tx, [versionRow(after, changes, by, at)]);
  return changes;
}

export async function updateCase(
  ctx: AppContext,
  p: Principal,
  project: ProjectRow,
  id: number,
  input: CaseUpdateInput,
) {
  await inTransaction(ctx.db, async (tx) => {
    // Tags, then (for a move) the case sequence, then the row: the lock order of sequences.repository.
    // A move hands out a position and checks its suite under the case sequence, which suite deletion holds.
    const { tagTitles } = normaliseCase(input, ENUM_FIELDS.automation.defaultId, []).changes;
    await ensureTags(tx, tagTitles ?? [], now());
    if (input.suite_id !== undefined) await lockSequence(tx, project.id, "case");
    await liveCase(tx, project, id);
    const before = await findCaseForUpdate(tx, project.id, id);
    if (!before) throw fail.notFound(`Test case ${project.code}-${id}`);
    const errors: ErrorField[] = [];
    const { changes, sharedSteps, attachments } = normaliseCase(input, before.automation, errors);
    if (errors.length > 0) throw fail.invalidMany(errors);
    const refErrors = await checkReferences(
      tx,
      project.id,
      [{ c: changes, prefix: "", sharedSteps, attachments }],
      before,
    );
    if (refErrors.length > 0) throw fail.invalidMany(refErrors);
    const at = now();
    const patch = toPatch(changes, await ensureTags(tx, changes.tagTitles ?? [], at));
    if (changes.suite_id !== undefined && changes.suite_id !== before.suite_id) {
      patch.position = await nextCasePosition(tx, project.id, changes.suite_id);
    }
    await reviseCase(tx, before, patch, p.user.id, at);
  });
}

export async function deleteCase(ctx: AppContext, project: ProjectRow, id: number) {
  await ctx.db.transaction().execute(async (tx) => {
    await liveCase(tx, project, id);
    await updateCaseRow(tx, project.id, id, { deleted_at: now() });
  });
}

/** Moves the live cases of some suites into another (each move is a new version of the case). */
export async function moveCases(tx: Db, p: Principal, projectId: number, fromSuites: number[], to: number) {
  const at = now();
  const moving = await liveCasesInSuites(tx, projectId, fromSuites, true);
  // The caller holds the case sequence (removeSuite); taken again for any other caller, it costs nothing.
  await lockSequence(tx, projectId, "case");
  let position = await nextCasePosition(tx, projectId, to);
  for (const row of moving) {
    await reviseCase(tx, row, { suite_id: to, position: position++ }, p.user.id, at);
  }
}

/** Attaches or detaches external issue ids (Jira keys) on cases; a change is a new case version. */
export async function linkExternalIssues(
  ctx: AppContext,
  p: Principal,
  project: ProjectRow,
  body: { type: string; links: { case_id: number; external_issues: string[] }[] },
  attach: boolean,
) {
  await ctx.db.transaction().execute(async (tx) => {
    const errors: ErrorField[] = [];
    const rows: CaseRow[] = [];
    for (const [i, link] of body.links.entries()) {
      const row = await findCaseForUpdate(tx, project.id, link.case_id);
      if (!row || row.deleted_at !== null) {
        errors.push({
          field: `links.${i}.case_id`,
          error: `test case ${link.case_id} does not exist in this project`,
        });
      } else rows.push(row);
    }
    if (errors.length > 0) throw fail.invalidMany(errors);
    const at = now();
    for (const [i, link] of body.links.entries()) {
      const row = rows[i];
      if (!row) continue;
      const current = await findCaseForUpdate(tx, project.id, row.id);
      if (!current) continue;
      const groups = JSON.parse(current.external_issues) as StoredExternalIssues[];
      const group = groups.find((g) => g.type === body.type) ?? { type: body.type, issues: [] };
      const ids = new Set(group.issues.map((x) => x.id));
      for (const key of link.external_issues) {
        if (attach) ids.add(key);
        else ids.delete(key);
      }
      const next = groups.filter((g) => g.type !== body.type);
      if (ids.size > 0) next.push({ type: body.type, issues: [...ids].map((id) => ({ id })) });
      await reviseCase(tx, current, { external_issues: JSON.stringify(next) }, p.user.id, at);
    }
  });
}
