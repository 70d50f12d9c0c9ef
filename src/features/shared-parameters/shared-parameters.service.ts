import { randomUUID } from "node:crypto";
import type { AppContext } from "../../context.js";
import type { Db } from "../../db/database.js";
import { now } from "../../db/time.js";
import { type ErrorField, fail } from "../../http/errors.js";
import { projectIdsByCode } from "../custom-fields/custom-fields.repository.js";
import {
  findParameter,
  insertParameter,
  listParameters,
  type ParameterRow,
  parameterProjectCodes,
  setParameterProjects,
  updateParameter,
} from "./shared-parameters.repository.js";

interface Param {
  title: string;
  values: string[];
}

interface ParameterInput {
  title?: string | undefined;
  project_codes?: string[] | undefined;
  is_enabled_for_all_projects?: boolean | undefined;
  parameters?: Param[] | undefined;
}

function parse(text: string): Param[] {
  try {
    return JSON.parse(text) as Param[];
  } catch {
    return [];
  }
}

export function presentParameter(row: ParameterRow, codes: string[]) {
  return {
    id: row.id,
    title: row.title,
    type: row.type,
    project_codes: codes,
    is_enabled_for_all_projects: Number(row.is_enabled_for_all_projects) === 1,
    parameters: parse(row.parameters),
  };
}

/** A single parameter has exactly one item, a group at least two; titles unique, values present. */
function normaliseParameters(type: string, given: Param[], errors: ErrorField[]): Param[] {
  if (type === "single" && given.length !== 1)
    errors.push({ field: "parameters", error: "a single shared parameter has exactly one parameter" });
  if (type === "group" && given.length < 2)
    errors.push({ field: "parameters", error: "a group shared parameter has at least two parameters" });
  const titles = new Set<string>();
  return given.map((p, i) => {
    const title = p.title.trim();
    if (title === "") errors.push({ field: `parameters.${i}.title`, error: "must not be blank" });
    else if (titles.has(title))
      errors.push({ field: `parameters.${i}.title`, error: `parameter "${title}" is defined twice` });
    titles.add(title);
    if (p.values.length === 0)
      errors.push({ field: `parameters.${i}.values`, error: "needs at least one value" });
    return { title, values: p.values };
  });
}

async function resolveCodes(db: Db, codes: string[], errors: ErrorField[]): Promise<number[]> {
  const found = await projectIdsByCode(db, codes);
  const unknown = [...new Set(codes.map((c) => c.toUpperCase()))].filter((c) => !found.has(c));
  if (unknown.length > 0)
    errors.push({ field: "project_codes", error: `unknown projects: ${unknown.join(", ")}` });
  return [...found.values()];
}

/** 404 for an id that never existed, 410 for a deleted parameter. */
async function liveParameter(db: Db, id: string): Promise<ParameterRow> {
  const row = await findParameter(db, id.toLowerCase());
  if (!row) throw fail.notFound(`Shared parameter ${id}`);
  if (row.deleted_at !== null) throw fail.gone(`Shared parameter ${id}`);
  return row;
}

export async function listParametersPage(
  ctx: AppContext,
  filter: { search?: string | undefined; type?: string | undefined; projectCodes?: string[] | undefined },
  limit: number,
  offset: number,
) {
  let projectIds: number[] | undefined;
  if (filter.projectCodes !== undefined) {
    const codes = filter.projectCodes
      .flatMap((c) => c.split(","))
      .map((c) => c.trim())
      .filter((c) => c !== "");
    projectIds = [...(await projectIdsByCode(ctx.db, codes)).values()];
  }
  const r = await listParameters(
    ctx.db,
    { search: filter.search, type: filter.type, projectIds },
    limit,
    offset,
  );
  const codes = await parameterProjectCodes(
    ctx.db,
    r.rows.map((p) => p.id),
  );
  return { total: r.total, entities: r.rows.map((p) => presentParameter(p, codes.get(p.id) ?? [])) };
}

export async function getParameter(ctx: AppContext, id: string) {
  const row = await liveParameter(ctx.db, id);
  return presentParameter(row, (await parameterProjectCodes(ctx.db, [row.id])).get(row.id) ?? []);
}

export async function createParameter(
  ctx: AppContext,
  input: ParameterInput & {
    title: string;
    type: "single" | "group";
    is_enabled_for_all_projects: boolean;
    parameters: Param[];
  },
): Promise<string> {
  const errors: ErrorField[] = [];
  const title = input.title.trim();
  if (title === "") errors.push({ field: "title", error: "must not be blank" });
  const parameters = normaliseParameters(input.type, input.parameters, errors);
  return ctx.db.transaction().execute(async (tx) => {
    const projectIds = await resolveCodes(tx, input.project_codes ?? [], errors);
    if (errors.length > 0) throw fail.invalidMany(errors);
    const id = randomUUID();
    const at = now();
    await insertParameter(tx, {
      id,
      title,
      type: input.type,
      parameters: JSON.stringify(parameters),
      is_enabled_for_all_projects: input.is_enabled_for_all_projects ? 1 : 0,
      created_at: at,
      updated_at: at,
      deleted_at: null,
    });
    await setParameterProjects(tx, id, projectIds);
    return id;
  });
}

/** Returns the parameter's id (lower-case, as stored). */
export async function editParameter(ctx: AppContext, id: string, input: ParameterInput): Promise<string> {
  return ctx.db.transaction().execute(async (tx) => {
    const row = await liveParameter(tx, id);
    const errors: ErrorField[] = [];
    const patch: Partial<ParameterRow> = {};
    if (input.title !== undefined) {
      patch.title = input.title.trim();
      if (patch.title === "") errors.push({ field: "title", error: "must not be blank" });
    }
    if (input.parameters !== undefined)
      patch.parameters = JSON.stringify(normaliseParameters(row.type, input.parameters, errors));
    if (input.is_enabled_for_all_projects !== undefined)
      patch.is_enabled_for_all_projects = input.is_enabled_for_all_projects ? 1 : 0;
    const projectIds =
      input.project_codes === undefined ? undefined : await resolveCodes(tx, input.project_codes, errors);
    if (errors.length > 0) throw fail.invalidMany(errors);
    await updateParameter(tx, row.id, { ...patch, updated_at: now() });
    if (projectIds !== undefined) await setParameterProjects(tx, row.id, projectIds);
    return row.id;
  });
}

/** Soft delete: 410 from now on. */
export async function removeParameter(ctx: AppContext, id: string): Promise<string> {
  return ctx.db.transaction().execute(async (tx) => {
    const row = await liveParameter(tx, id);
    const at = now();
    await updateParameter(tx, row.id, { deleted_at: at, updated_at: at });
    return row.id;
  });
}
