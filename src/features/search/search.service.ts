import type { AppContext } from "../../context.js";
import { now } from "../../db/time.js";
import { fail } from "../../http/errors.js";
import type { Principal } from "../../http/principal.js";
import type { ProjectRow } from "../projects/projects.repository.js";
import { listVisibleProjects } from "../projects/projects.repository.js";
import { visibilityOf } from "../projects/projects.service.js";
import { analyze, type SearchPlan } from "./qql.analyze.js";
import { QqlError, queryError } from "./qql.errors.js";
import { parseQql } from "./qql.parser.js";
import {
  presentCaseHits,
  presentDefectHits,
  presentPlanHits,
  presentResultHits,
  presentRunHits,
  type SearchEntity,
} from "./search.present.js";
import {
  type SearchPage,
  searchCases,
  searchDefects,
  searchPlans,
  searchResults,
  searchRuns,
} from "./search.repository.js";
import { wordCases, wordResults } from "./words.repository.js";

/**
 * A query without any of QQL's operators or quotes (every QQL query has `entity = ...`) is plain words:
 * its words are the runs of letters and digits ("and" joins them anyway).
 */
const QQL_SIGNS = /[=<>~!"'()[\],]/;
const MAX_WORDS = 16;
export function plainWords(query: string): string[] | null {
  if (QQL_SIGNS.test(query)) return null;
  const words = (query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w !== "and");
  return [...new Set(words)].slice(0, MAX_WORDS);
}

/** Words: cases whose title has them, then results whose message or stack trace has them, newest first. */
async function searchWords(
  ctx: AppContext,
  words: string[],
  ids: number[],
  byId: Map<number, ProjectRow>,
  page: SearchPage,
  base: string,
) {
  if (words.length === 0) throw fail.invalid("query", "type a word to search for, or a QQL query");
  const cases = await wordCases(ctx.db, ctx.dialect, words, ids, page);
  const rest = { limit: page.limit - cases.rows.length, offset: Math.max(0, page.offset - cases.total) };
  const results = await wordResults(ctx.db, ctx.dialect, words, ids, rest);
  return {
    entities: [
      ...(await presentCaseHits(ctx.db, cases.rows, byId, base)),
      ...(await presentResultHits(ctx.db, results.rows, byId, base)),
    ],
    total: cases.total + results.total,
  };
}

/** More projects than a workspace holds in practice; the visibility list is read whole. */
const MAX_PROJECTS = 100_000;

function plan(query: string, env: Parameters<typeof analyze>[1]): SearchPlan {
  try {
    return analyze(parseQql(query), env);
  } catch (err) {
    if (err instanceof QqlError) throw queryError(err);
    throw err;
  }
}

/**
 * GET /v1/search: a QQL query over the projects the caller may read (role, membership and the token's
 * project list). Naming a project outside them is a 403, as on every project route.
 */
export async function search(
  ctx: AppContext,
  p: Principal,
  query: string,
  page: SearchPage,
  base: string,
): Promise<{ entities: SearchEntity[]; total: number }> {
  const visible = await listVisibleProjects(ctx.db, visibilityOf(p), MAX_PROJECTS, 0);
  const byCode = new Map(visible.map((r) => [r.code.toUpperCase(), r.id]));
  const byId = new Map(visible.map((r) => [r.id, r]));
  const ids = visible.map((r) => r.id);
  const words = plainWords(query);
  if (words) return searchWords(ctx, words, ids, byId, page, base);
  const sp = plan(query, { userId: p.user.id, now: now(), projects: byCode });
  const { db, dialect } = ctx;
  switch (sp.entity) {
    case "case": {
      const r = await searchCases(db, dialect, sp, ids, page);
      return { entities: await presentCaseHits(db, r.rows, byId, base), total: r.total };
    }
    case "defect": {
      const r = await searchDefects(db, dialect, sp, ids, page);
      return { entities: await presentDefectHits(db, r.rows, byId, base), total: r.total };
    }
    case "run": {
      const r = await searchRuns(db, dialect, sp, ids, page);
      return { entities: await presentRunHits(db, r.rows, byId), total: r.total };
    }
    case "result": {
      const r = await searchResults(db, dialect, sp, ids, page);
      return { entities: await presentResultHits(db, r.rows, byId, base), total: r.total };
    }
    case "plan": {
      const r = await searchPlans(db, dialect, sp, ids, page);
      return { entities: await presentPlanHits(db, r.rows, byId), total: r.total };
    }
  }
}
