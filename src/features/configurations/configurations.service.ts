import type { AppContext } from "../../context.js";
import { now } from "../../db/time.js";
import { fail } from "../../http/errors.js";
import { isUniqueViolation } from "../environments/environments.repository.js";
import type { ProjectRow } from "../projects/projects.repository.js";
import {
  findConfigurationByTitle,
  findGroup,
  findGroupByTitle,
  insertConfiguration,
  insertGroup,
  listGroups,
} from "./configurations.repository.js";

function cleanTitle(title: string): string {
  const t = title.trim();
  if (t === "") throw fail.invalid("title", "must not be blank");
  return t;
}

/**
 * Runs a find-or-insert; when a concurrent writer inserted the same title first (unique index), the
 * second attempt finds its row. Creating is idempotent by title: reporters create on demand, in parallel.
 */
async function findOrInsert(attempt: () => Promise<number>): Promise<number> {
  try {
    return await attempt();
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return attempt();
  }
}

export function listConfigurationGroups(ctx: AppContext, project: ProjectRow) {
  return listGroups(ctx.db, project.id);
}

/** The id of the group with this title, created if the project has none. */
export async function createConfigurationGroup(ctx: AppContext, project: ProjectRow, title: string) {
  const t = cleanTitle(title);
  return findOrInsert(() =>
    ctx.db.transaction().execute(async (tx) => {
      return (await findGroupByTitle(tx, project.id, t)) ?? insertGroup(tx, project.id, t, now());
    }),
  );
}

/** The id of the configuration with this title in the group, created if the group has none. */
export async function createConfiguration(
  ctx: AppContext,
  project: ProjectRow,
  input: { title: string; group_id: number },
) {
  const t = cleanTitle(input.title);
  return findOrInsert(() =>
    ctx.db.transaction().execute(async (tx) => {
      if (!(await findGroup(tx, project.id, input.group_id))) {
        throw fail.invalid(
          "group_id",
          `configuration group ${input.group_id} does not exist in this project`,
        );
      }
      return (
        (await findConfigurationByTitle(tx, input.group_id, t)) ??
        insertConfiguration(tx, project.id, input.group_id, t, now())
      );
    }),
  );
}
