import type { Migration } from "kysely";
import * as m0001 from "./0001_foundation.js";
import * as m0002 from "./0002_repository.js";
import * as m0003 from "./0003_planning.js";
import * as m0004 from "./0004_tags.js";
import * as m0005 from "./0005_fields_steps.js";
import * as m0006 from "./0006_attachments.js";
import * as m0007 from "./0007_runs_results.js";
import * as m0008 from "./0008_plans_defects.js";
import * as m0009 from "./0009_run_result_counts.js";
import * as m0010 from "./0010_case_counts.js";
import * as m0011 from "./0011_reviews.js";
import * as m0012 from "./0012_case_positions.js";
import * as m0013 from "./0013_case_count_per_statement.js";
import * as m0014 from "./0014_live_suite_severity.js";
import * as m0015 from "./0015_change_notifications.js";
import * as m0016 from "./0016_deleted_runs.js";
import * as m0017 from "./0017_run_totals.js";
import * as m0018 from "./0018_word_search_run_span.js";
import * as m0019 from "./0019_cascade_safe_run_counts.js";

/** Every migration, in order. Listed statically so the same list works from source and from dist. */
export const migrations: Record<string, Migration> = {
  "0001_foundation": m0001,
  "0002_repository": m0002,
  "0003_planning": m0003,
  "0004_tags": m0004,
  "0005_fields_steps": m0005,
  "0006_attachments": m0006,
  "0007_runs_results": m0007,
  "0008_plans_defects": m0008,
  "0009_run_result_counts": m0009,
  "0010_case_counts": m0010,
  "0011_reviews": m0011,
  "0012_case_positions": m0012,
  "0013_case_count_per_statement": m0013,
  "0014_live_suite_severity": m0014,
  "0015_change_notifications": m0015,
  "0016_deleted_runs": m0016,
  "0017_run_totals": m0017,
  "0018_word_search_run_span": m0018,
  "0019_cascade_safe_run_counts": m0019,
};
