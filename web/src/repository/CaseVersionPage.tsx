import { Alert, Anchor, Group, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router-dom";
import { api } from "../api";
import { CaseCrumbs, useCase, useSuitePaths } from "./CasePage";
import { CaseView } from "./CaseView";
import { caseKey, useSystemFields } from "./data";
import type { TestCase } from "./types";

/** A case as it was at one version (the snapshot the server kept), read-only. */
export function CaseVersionPage() {
  const params = useParams();
  const code = params.code ?? "";
  const id = Number(params.id);
  const version = Number(params.version);
  const live = useCase(code, id);
  const fields = useSystemFields();
  const paths = useSuitePaths(code);
  const old = useQuery({
    queryKey: ["case-version", code, id, version],
    queryFn: () => api<TestCase>("GET", `/v1/case/${encodeURIComponent(code)}/${id}/version/${version}`),
    staleTime: Number.POSITIVE_INFINITY, // a version never changes
  });
  const c = old.data;
  const current = live.data?.version;
  return (
    <Stack>
      <CaseCrumbs code={code} testCase={live.data} last={`Version ${version}`} />
      {(old.error ?? live.error) && <Alert color="red">{(old.error ?? live.error)?.message}</Alert>}
      {c && (
        <>
          <Alert color="yellow" title={`Version ${version}${current ? ` of ${current}` : ""}`}>
            <Group gap="xs">
              <Text size="sm">
                {version === current
                  ? "This is the current version."
                  : "You are looking at an older version of this case; it cannot be edited."}
              </Text>
              <Anchor component={Link} to={`/projects/${code}/cases/${id}`} size="sm">
                Back to the current version
              </Anchor>
              <Anchor component={Link} to={`/projects/${code}/cases/${id}?tab=history`} size="sm">
                History
              </Anchor>
            </Group>
          </Alert>
          <div>
            <Text c="dimmed">{caseKey(code, id)}</Text>
            <Title order={2}>{c.title}</Title>
          </div>
          <CaseView
            testCase={c}
            fields={fields.data}
            suitePath={c.suite_id === null ? null : (paths.get(c.suite_id) ?? `Suite ${c.suite_id}`)}
          />
        </>
      )}
    </Stack>
  );
}
