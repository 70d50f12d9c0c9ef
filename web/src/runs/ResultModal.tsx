import { Alert, Button, Modal, NumberInput, Select, Stack, Textarea } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api } from "../api";
import type { RunEntry } from "./types";

/** The statuses a person records by hand; reporters may send others (retest, custom slugs). */
const MANUAL_STATUSES = ["passed", "failed", "blocked", "skipped", "invalid"] as const;

/** Record one manual result for a case line of a run: it becomes the line's newest attempt. */
export function ResultModal({
  code,
  runId,
  entry,
  name,
  onClose,
}: {
  code: string;
  runId: number;
  entry: RunEntry;
  name: string;
  onClose(): void;
}) {
  const client = useQueryClient();
  const [status, setStatus] = useState<string | null>("passed");
  const [comment, setComment] = useState("");
  const [seconds, setSeconds] = useState<string | number>("");
  const save = useMutation({
    mutationFn: () =>
      api<unknown>("POST", `/v1/result/${encodeURIComponent(code)}/${runId}`, {
        case_id: entry.case_id,
        status,
        comment: comment || null,
        time_ms: seconds === "" ? null : Math.round(Number(seconds) * 1000),
        // A parametrised line is matched by its parameters as well as its case.
        ...(Object.keys(entry.params).length > 0 ? { param: entry.params } : {}),
      }),
    onSuccess: () => {
      client.invalidateQueries({ queryKey: ["run", code, runId] });
      client.invalidateQueries({ queryKey: ["run-entries", code, runId] });
      client.invalidateQueries({ queryKey: ["runs", code] });
      onClose();
    },
  });
  const err = save.error instanceof ApiError ? save.error : null;
  return (
    <Modal opened onClose={onClose} title={`Result for ${name}`}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack>
          {save.error && <Alert color="red">{save.error.message}</Alert>}
          <Select
            label="Result status"
            data={MANUAL_STATUSES.map((s) => ({ value: s, label: s.charAt(0).toUpperCase() + s.slice(1) }))}
            value={status}
            onChange={setStatus}
            allowDeselect={false}
            error={err?.fieldError("status")}
          />
          <Textarea
            label="Comment"
            autosize
            minRows={2}
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
            error={err?.fieldError("comment")}
          />
          <NumberInput
            label="Time spent (seconds)"
            min={0}
            max={31_536_000}
            decimalScale={3}
            value={seconds}
            onChange={setSeconds}
            error={err?.fieldError("time_ms")}
          />
          <Button type="submit" loading={save.isPending}>
            Save result
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}
