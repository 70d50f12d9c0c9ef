import { Alert, Button, Modal, SegmentedControl, Select, Stack, Textarea, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, type Page } from "../api";
import type { Result } from "./types";

interface DefectSummary {
  id: number;
  title: string;
  status: string;
}

/** A defect's title from the failure: the test's name and the first line of its message. */
function suggestedTitle(name: string, r: Result): string {
  const first = (r.comment ?? r.stacktrace ?? "").split("\n")[0]?.trim() ?? "";
  return (first ? `${name}: ${first}` : `${name} failed`).slice(0, 255);
}

/**
 * Files a failed result as a new defect (title and actual result filled in from the failure), or attaches
 * it to a defect that exists, through POST /v1/defect/{code} and POST /v1/defect/{code}/{id}/result.
 */
export function LinkDefectModal({
  code,
  name,
  result,
  onClose,
  onLinked,
}: {
  code: string;
  name: string;
  result: Result;
  onClose(): void;
  onLinked(id: number): void;
}) {
  const project = encodeURIComponent(code);
  const client = useQueryClient();
  const [mode, setMode] = useState<"new" | "existing">("new");
  const [title, setTitle] = useState(() => suggestedTitle(name, result));
  const [actual, setActual] = useState(() =>
    [result.comment, result.stacktrace].filter((s) => s !== null && s !== "").join("\n\n"),
  );
  const [existing, setExisting] = useState<string | null>(null);
  const defects = useQuery({
    queryKey: ["defects", code, "link-choices"],
    queryFn: () => api<Page<DefectSummary>>("GET", `/v1/defect/${project}?limit=100`),
    enabled: mode === "existing",
  });
  const link = useMutation({
    mutationFn: async () => {
      const id =
        mode === "existing"
          ? Number(existing)
          : (
              await api<{ id: number }>("POST", `/v1/defect/${project}`, {
                title,
                actual_result: actual,
                severity: 0,
              })
            ).id;
      await api("POST", `/v1/defect/${project}/${id}/result`, { hash: result.hash });
      return id;
    },
    onSuccess: (id) => {
      client.invalidateQueries({ queryKey: ["defects", code] });
      onLinked(id);
    },
  });
  const ready = mode === "existing" ? existing !== null : title.trim() !== "";
  return (
    <Modal opened onClose={onClose} title={`Link ${name} to a defect`} size="lg">
      <Stack>
        <SegmentedControl
          aria-label="New or existing defect"
          value={mode}
          onChange={(v) => setMode(v === "existing" ? "existing" : "new")}
          data={[
            { value: "new", label: "New defect" },
            { value: "existing", label: "Existing defect" },
          ]}
        />
        {mode === "new" ? (
          <>
            <TextInput label="Title" value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
            <Textarea
              label="Actual result"
              autosize
              minRows={3}
              maxRows={10}
              value={actual}
              onChange={(e) => setActual(e.currentTarget.value)}
            />
          </>
        ) : (
          <Select
            label="Defect"
            placeholder={defects.isPending ? "Loading…" : "Choose a defect"}
            searchable
            nothingFoundMessage="No defects in this project"
            data={(defects.data?.entities ?? []).map((d) => ({
              value: String(d.id),
              label: `#${d.id} ${d.title} (${d.status})`,
            }))}
            value={existing}
            onChange={setExisting}
          />
        )}
        {(link.error ?? defects.error) && <Alert color="red">{(link.error ?? defects.error)?.message}</Alert>}
        <Button disabled={!ready} loading={link.isPending} onClick={() => link.mutate()}>
          {mode === "new" ? "Create defect and link" : "Link to this defect"}
        </Button>
      </Stack>
    </Modal>
  );
}
