// npm run bench: every benchmark, each as ratios against this machine's own limit measured in the same
// run. BENCH_ONLY=project-get|ingest|lists|soak|search|report-memory runs one; BENCH_DATABASE_URL adds
// the PostgreSQL rows.
import { benchIngest } from "./ingest.js";
import { benchLists } from "./lists.js";
import { benchProjectGet } from "./project-get.js";
import { benchReportMemory } from "./report-memory.js";
import { benchSearch } from "./search.js";
import { benchSoak } from "./soak.js";

const only = process.env.BENCH_ONLY;
if (!only || only === "project-get") await benchProjectGet();
if (!only || only === "ingest") await benchIngest();
if (!only || only === "lists") await benchLists();
if (!only || only === "soak") await benchSoak();
if (!only || only === "search") await benchSearch();
if (!only || only === "report-memory") await benchReportMemory();
