import { Badge, Box, Group, Progress, RingProgress, Text, Tooltip } from "@mantine/core";
import type { RunStats } from "./types";

/**
 * Colours of the built-in result statuses; custom statuses (any slug a reporter sends) get a neutral one.
 * The server has no endpoint describing result statuses, so their look lives here.
 */
const COLORS: Record<string, string> = {
  passed: "green",
  failed: "red",
  blocked: "orange",
  invalid: "pink",
  skipped: "gray",
  retest: "yellow",
  in_progress: "blue",
  untested: "gray.3",
  aborted: "gray",
};

/** Result step statuses are numbers in Qase's v1 read model. */
const STEP_STATUSES: Record<number, string> = {
  1: "passed",
  2: "failed",
  3: "blocked",
  5: "skipped",
  7: "in_progress",
  8: "invalid",
};

export function statusColor(status: string): string {
  return COLORS[status] ?? "grape";
}

/** A Mantine colour name ("green", "gray.3") as a CSS variable. */
function cssColor(color: string): string {
  return color.includes(".")
    ? `var(--mantine-color-${color.replace(".", "-")})`
    : `var(--mantine-color-${color}-filled)`;
}

export function statusLabel(status: string): string {
  const text = status.replaceAll("_", " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function stepStatus(id: number): string {
  return STEP_STATUSES[id] ?? "untested";
}

export function StatusBadge({ status }: { status: string | null }) {
  const s = status ?? "untested";
  return (
    <Badge
      color={s === "untested" ? "gray" : statusColor(s)}
      variant={s === "untested" ? "outline" : "light"}
      radius="sm"
      tt="none"
      // At its full width: a table column must not squeeze a short status to "P…".
      miw="max-content"
    >
      {statusLabel(s)}
    </Badge>
  );
}

/** Built-in statuses in the order counts list them; custom statuses follow by name, untested last. */
const ORDER = ["passed", "failed", "blocked", "skipped", "invalid", "retest", "in_progress"];

function orderOf(status: string): number {
  const i = ORDER.indexOf(status);
  return i === -1 ? ORDER.length : i;
}

/** Status counts of a run (or a part of it) in a fixed order, untested last; no cases, no parts. */
export function statParts(stats: RunStats): { status: string; count: number }[] {
  const parts = Object.entries(stats.statuses)
    .filter(([, n]) => n > 0)
    .map(([status, count]) => ({ status, count }))
    .sort((a, b) => orderOf(a.status) - orderOf(b.status) || a.status.localeCompare(b.status));
  if (stats.untested > 0) parts.push({ status: "untested", count: stats.untested });
  return parts;
}

/** A run's statuses as one stacked bar, each part labelled for screen readers and on hover. */
export function StatsBar({ stats, size = "lg" }: { stats: RunStats; size?: "sm" | "lg" }) {
  const parts = statParts(stats);
  const summary = parts.map((p) => `${p.count} ${statusLabel(p.status).toLowerCase()}`).join(", ");
  return (
    <Progress.Root size={size} aria-label={`Results: ${summary || "no cases"}`} role="img">
      {parts.map((p) => (
        <Tooltip key={p.status} label={`${statusLabel(p.status)}: ${p.count}`}>
          <Progress.Section
            value={(p.count / Math.max(1, stats.total)) * 100}
            color={statusColor(p.status)}
            aria-label={`${statusLabel(p.status)}: ${p.count}`}
          />
        </Tooltip>
      ))}
    </Progress.Root>
  );
}

/**
 * The run's status distribution as a ring with the pass rate in the middle. One image for assistive
 * technology, named by the same counts the legend next to it lists.
 */
export function StatusRing({ stats }: { stats: RunStats }) {
  const parts = statParts(stats);
  const total = Math.max(1, stats.total);
  const passed = stats.statuses.passed ?? 0;
  const summary = parts.map((p) => `${p.count} ${statusLabel(p.status).toLowerCase()}`).join(", ");
  return (
    <Box role="img" aria-label={`Status distribution: ${summary || "no cases"}`} w="fit-content">
      <RingProgress
        size={132}
        thickness={14}
        roundCaps={false}
        sections={parts.map((p) => ({
          value: (p.count / total) * 100,
          color: statusColor(p.status),
          tooltip: `${statusLabel(p.status)}: ${p.count}`,
        }))}
        label={
          <Text ta="center" size="sm" fw={600} aria-hidden>
            {stats.total === 0 ? "—" : `${Math.round((passed / total) * 100)}%`}
            <Text span display="block" size="xs" fw={400} c="dimmed">
              passed
            </Text>
          </Text>
        }
      />
    </Box>
  );
}

/** Status counts with their share of the run, one line each, beside the ring. */
export function StatusTable({ stats }: { stats: RunStats }) {
  const total = Math.max(1, stats.total);
  return (
    <Box component="ul" p={0} m={0} style={{ listStyle: "none" }} aria-label="Status counts">
      {statParts(stats).map((p) => (
        <Group component="li" key={p.status} gap={6} wrap="nowrap">
          <Box
            w={10}
            h={10}
            style={{ borderRadius: 2, background: cssColor(statusColor(p.status)) }}
            aria-hidden
          />
          <Text size="sm">
            {statusLabel(p.status)}: {p.count}{" "}
            <Text span size="xs" c="dimmed">
              ({Math.round((p.count / total) * 100)}%)
            </Text>
          </Text>
        </Group>
      ))}
      {stats.flaky > 0 && (
        <Text component="li" size="sm">
          Flaky: {stats.flaky}
        </Text>
      )}
    </Box>
  );
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s - m * 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
