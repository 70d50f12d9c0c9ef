import {
  Alert,
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Group,
  Modal,
  Stack,
  Tabs,
  Text,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router-dom";
import { api, type Me } from "../api";
import { CaseHistory } from "./CaseHistory";
import { CaseResults } from "./CaseResults";
import { CaseView } from "./CaseView";
import { useCaseFields } from "./CustomFields";
import { caseKey, suitePaths, suiteTree, useSuites, useSystemFields } from "./data";
import type { TestCase } from "./types";

export function useCase(code: string, id: number | null) {
  return useQuery({
    queryKey: ["case", code, id],
    queryFn: () => api<TestCase>("GET", `/v1/case/${encodeURIComponent(code)}/${id}`),
    enabled: id !== null,
  });
}

/** Suite id -> "Parent / Child" for a project. */
export function useSuitePaths(code: string) {
  const suites = useSuites(code);
  return useMemo(
    () => new Map(suitePaths(suiteTree(suites.data ?? [])).map((p) => [p.id, p.path])),
    [suites.data],
  );
}

export function CaseCrumbs({
  code,
  testCase,
  last,
}: {
  code: string;
  testCase?: TestCase | undefined;
  last?: string;
}) {
  const paths = useSuitePaths(code);
  const suite = testCase?.suite_id ?? null;
  return (
    <Breadcrumbs separator="›">
      <Anchor component={Link} to={`/projects/${code}`}>
        {code}
      </Anchor>
      {suite !== null && (
        <Anchor component={Link} to={`/projects/${code}?suite=${suite}`}>
          {paths.get(suite) ?? `Suite ${suite}`}
        </Anchor>
      )}
      {testCase && last && (
        <Anchor component={Link} to={`/projects/${code}/cases/${testCase.id}`}>
          {caseKey(code, testCase.id)}
        </Anchor>
      )}
      {last && <Text size="sm">{last}</Text>}
    </Breadcrumbs>
  );
}

/** One case: every field, its steps, and its version history. */
export function CasePage({ me }: { me: Me }) {
  const params = useParams();
  const code = params.code ?? "";
  const id = Number(params.id);
  const canWrite = me.permissions.includes("repository.write");
  const [search, setSearch] = useSearchParams();
  const asked = search.get("tab");
  const tab = asked === "history" || asked === "results" ? asked : "details";
  const testCase = useCase(code, id);
  const fields = useSystemFields();
  const customFields = useCaseFields(code);
  const paths = useSuitePaths(code);
  const [deleting, setDeleting] = useState(false);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => api("DELETE", `/v1/case/${encodeURIComponent(code)}/${id}`),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: ["cases", code] });
      queryClient.invalidateQueries({ queryKey: ["suites", code] });
      queryClient.invalidateQueries({ queryKey: ["project", code] });
      queryClient.removeQueries({ queryKey: ["case", code, id] });
      const suite = testCase.data?.suite_id;
      navigate(`/projects/${code}${suite ? `?suite=${suite}` : ""}`);
    },
  });

  const c = testCase.data;
  return (
    <Stack>
      <CaseCrumbs code={code} testCase={c} />
      {testCase.error && <Alert color="red">{testCase.error.message}</Alert>}
      {c && (
        <>
          <Group justify="space-between" align="flex-start">
            <div>
              <Group gap="xs">
                <Text c="dimmed">{caseKey(code, c.id)}</Text>
                <Badge variant="light" size="sm">
                  version {c.version}
                </Badge>
              </Group>
              <Title order={2}>{c.title}</Title>
            </div>
            {canWrite && (
              <Group gap="xs">
                <Button component={Link} to={`/projects/${code}/cases/${id}/edit`}>
                  Edit case
                </Button>
                <Button variant="default" component={Link} to={`/projects/${code}/reviews/new?case=${id}`}>
                  Propose a change
                </Button>
                <Button variant="default" color="red" onClick={() => setDeleting(true)}>
                  Delete case
                </Button>
              </Group>
            )}
          </Group>
          <Tabs
            value={tab}
            onChange={(v) =>
              setSearch(v === "history" || v === "results" ? { tab: v } : {}, { replace: true })
            }
          >
            <Tabs.List>
              <Tabs.Tab value="details">Details</Tabs.Tab>
              <Tabs.Tab value="results">Results</Tabs.Tab>
              <Tabs.Tab value="history">History</Tabs.Tab>
            </Tabs.List>
          </Tabs>
          {tab === "details" && (
            <CaseView
              testCase={c}
              fields={fields.data}
              customFields={customFields.data}
              suitePath={c.suite_id === null ? null : (paths.get(c.suite_id) ?? `Suite ${c.suite_id}`)}
            />
          )}
          {tab === "results" && <CaseResults code={code} caseId={id} />}
          {tab === "history" && <CaseHistory code={code} caseId={id} current={c.version} />}
        </>
      )}
      <Modal opened={deleting} onClose={() => setDeleting(false)} title="Delete case">
        <Stack>
          {remove.error && <Alert color="red">{remove.error.message}</Alert>}
          <Text size="sm">
            {c ? `${caseKey(code, c.id)} “${c.title}”` : "This case"} will be deleted from the repository.
          </Text>
          <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
            Delete case
          </Button>
        </Stack>
      </Modal>
    </Stack>
  );
}
