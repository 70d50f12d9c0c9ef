import { Alert, Button, Grid, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useCallback, useMemo, useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router-dom";
import type { Me } from "../api";
import { NewRunModal } from "../runs/NewRunModal";
import { CaseBulkActions } from "./CaseBulkActions";
import { CaseList, type CaseQuery } from "./CaseList";
import { type SuiteNode, suitePaths, suiteTree, useProject, useSuites, useSystemFields } from "./data";
import { ProjectTabs } from "./ProjectTabs";
import {
  DeleteSuiteModal,
  MoveSuiteModal,
  type SuiteEdit,
  SuiteFormModal,
  useMoveSuite,
} from "./SuiteDialogs";
import { SuiteTree } from "./SuiteTree";
import { FILTER_ENUMS } from "./types";

/** Reads the list state from the address, so that a filtered page can be bookmarked and Back restores it. */
function readQuery(params: URLSearchParams): CaseQuery {
  const suite = Number(params.get("suite"));
  const page = Number(params.get("page"));
  const list = (key: string) => (params.get(key) ?? "").split(",").filter((v) => v !== "");
  return {
    suite: Number.isInteger(suite) && suite > 0 ? suite : null,
    search: params.get("q") ?? "",
    page: Number.isInteger(page) && page > 0 ? page : 1,
    filters: {
      severity: list("severity"),
      priority: list("priority"),
      type: list("type"),
      automation: list("automation"),
      status: list("status"),
    },
    tags: list("tags"),
  };
}

function writeQuery(q: CaseQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (q.suite !== null) params.set("suite", String(q.suite));
  if (q.search) params.set("q", q.search);
  for (const key of FILTER_ENUMS) if (q.filters[key].length > 0) params.set(key, q.filters[key].join(","));
  if (q.tags.length > 0) params.set("tags", q.tags.join(","));
  if (q.page > 1) params.set("page", String(q.page));
  return params;
}

/** A project's repository: the suite tree on the left, the selected suite's cases on the right. */
export function ProjectPage({ me }: { me: Me }) {
  const code = useParams().code ?? "";
  const canWrite = me.permissions.includes("repository.write");
  const canRun = me.permissions.includes("run.create");
  const navigate = useNavigate();
  const [ticked, setTicked] = useState<number[]>([]);
  const [starting, setStarting] = useState(false);
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => readQuery(params), [params]);
  const setQuery = useCallback((q: CaseQuery) => setParams(writeQuery(q), { replace: true }), [setParams]);

  const project = useProject(code);
  const suites = useSuites(code);
  const fields = useSystemFields();
  const tree = useMemo(() => suiteTree(suites.data ?? []), [suites.data]);
  const suiteTitles = useMemo(() => new Map(suitePaths(tree).map((p) => [p.id, p.path])), [tree]);
  const [editing, setEditing] = useState<SuiteEdit | null>(null);
  const [deleting, setDeleting] = useState<SuiteNode | null>(null);
  const [moving, setMoving] = useState<SuiteNode | null>(null);
  const moveSuite = useMoveSuite(code);

  const selectSuite = (suite: number | null) => setQuery({ ...query, suite, page: 1 });
  const selectedTitle = query.suite === null ? "All cases" : (suiteTitles.get(query.suite) ?? "");
  const error = project.error ?? suites.error ?? fields.error ?? moveSuite.error;

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <div>
          <Text size="sm" c="dimmed">
            {code}
          </Text>
          <Title order={2}>{project.data?.title ?? code}</Title>
        </div>
        {canWrite && (
          <Group gap="xs">
            <Button variant="default" onClick={() => setEditing({ mode: "create", parent: null })}>
              New suite
            </Button>
            <Button
              component={Link}
              to={`/projects/${code}/cases/new${query.suite !== null ? `?suite=${query.suite}` : ""}`}
            >
              New case
            </Button>
          </Group>
        )}
      </Group>
      <ProjectTabs code={code} active="repository" />
      {error && <Alert color="red">{error.message}</Alert>}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 3 }}>
          <Paper withBorder p="xs">
            <SuiteTree
              tree={tree}
              projectTotal={project.data?.counts.cases ?? 0}
              selected={query.suite}
              onSelect={selectSuite}
              actions={
                canWrite
                  ? {
                      onAddChild: (parent) => setEditing({ mode: "create", parent }),
                      onRename: (suite) => setEditing({ mode: "rename", suite }),
                      onDelete: setDeleting,
                      onMoveTo: setMoving,
                      onMove: (suite, parentId, position) => moveSuite.mutate({ suite, parentId, position }),
                    }
                  : undefined
              }
            />
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 9 }}>
          <Stack gap="xs">
            <Group justify="space-between">
              <Title order={3}>{selectedTitle}</Title>
              {(canRun || canWrite) && ticked.length > 0 && (
                <CaseBulkActions
                  code={code}
                  ids={ticked}
                  fields={fields.data}
                  tree={tree}
                  canRun={canRun}
                  canWrite={canWrite}
                  onRun={() => setStarting(true)}
                  onClear={() => setTicked([])}
                />
              )}
            </Group>
            <CaseList
              code={code}
              query={query}
              onChange={setQuery}
              fields={fields.data}
              suiteTitles={suiteTitles}
              selection={canRun || canWrite ? { ids: ticked, onChange: setTicked } : undefined}
            />
          </Stack>
        </Grid.Col>
      </Grid>
      {editing && (
        <SuiteFormModal
          code={code}
          edit={editing}
          onClose={() => setEditing(null)}
          onSaved={(id) => {
            if (editing.mode === "create") selectSuite(id);
            setEditing(null);
          }}
        />
      )}
      {moving && <MoveSuiteModal code={code} node={moving} tree={tree} onClose={() => setMoving(null)} />}
      {starting && (
        <NewRunModal
          code={code}
          initialCases={ticked}
          onClose={() => setStarting(false)}
          onCreated={(id) => navigate(`/projects/${code}/runs/${id}`)}
        />
      )}
      {deleting && (
        <DeleteSuiteModal
          code={code}
          node={deleting}
          tree={tree}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            if (query.suite !== null && query.suite === deleting.suite.id) selectSuite(null);
            setDeleting(null);
          }}
        />
      )}
    </Stack>
  );
}
