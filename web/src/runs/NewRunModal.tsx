import {
  Alert,
  Button,
  Modal,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api } from "../api";
import { CasePicker } from "../manage/CasePicker";
import { selectData, useEnvironmentOptions, useMilestoneOptions, usePlanOptions } from "../manage/data";

type Source = "all" | "plan" | "cases";

/** Start a run of all cases, of a plan's cases, or of cases ticked in the repository. */
export function NewRunModal({
  code,
  onClose,
  onCreated,
  initialCases = [],
}: {
  code: string;
  /** Cases already ticked in the repository list. */
  initialCases?: number[];
  onClose(): void;
  onCreated(id: number): void;
}) {
  const client = useQueryClient();
  const environments = useEnvironmentOptions(code);
  const milestones = useMilestoneOptions(code);
  const plans = usePlanOptions(code);
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [environment, setEnvironment] = useState<string | null>(null);
  const [milestone, setMilestone] = useState<string | null>(null);
  const [source, setSource] = useState<Source>("cases");
  const [plan, setPlan] = useState<string | null>(null);
  const [cases, setCases] = useState<number[]>(initialCases);
  const [local, setLocal] = useState<Record<string, string>>({});

  const save = useMutation({
    mutationFn: () => {
      const chosen =
        source === "all"
          ? { include_all_cases: true }
          : source === "plan"
            ? { plan_id: Number(plan) }
            : { cases };
      return api<{ id: number }>("POST", `/v1/run/${encodeURIComponent(code)}`, {
        title,
        description: description || null,
        environment_id: environment === null ? null : Number(environment),
        milestone_id: milestone === null ? null : Number(milestone),
        ...chosen,
      });
    },
    onSuccess: (r) => {
      client.invalidateQueries({ queryKey: ["runs", code] });
      client.invalidateQueries({ queryKey: ["project", code] });
      onCreated(r.id);
    },
  });
  const err = save.error instanceof ApiError ? save.error : null;
  const submit = () => {
    // The API would accept an empty run; a person starting one from here means to run something.
    const problems: Record<string, string> = {};
    if (source === "plan" && plan === null) problems.plan_id = "Choose a plan";
    if (source === "cases" && cases.length === 0) problems.cases = "Tick at least one case";
    setLocal(problems);
    if (Object.keys(problems).length === 0) save.mutate();
  };

  return (
    <Modal opened onClose={onClose} title="New run" size="xl">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack>
          {save.error && <Alert color="red">{save.error.message}</Alert>}
          <TextInput
            label="Run title"
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            error={err?.fieldError("title")}
            data-autofocus
          />
          <Textarea
            label="Run description"
            autosize
            minRows={2}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={err?.fieldError("description")}
          />
          <Select
            label="Environment"
            placeholder="None"
            clearable
            data={selectData(environments.data?.entities)}
            value={environment}
            onChange={setEnvironment}
            error={err?.fieldError("environment_id")}
          />
          <Select
            label="Milestone"
            placeholder="None"
            clearable
            data={selectData(milestones.data?.entities)}
            value={milestone}
            onChange={setMilestone}
            error={err?.fieldError("milestone_id")}
          />
          <div>
            <Text size="sm" fw={500} mb={4} id="run-cases-from">
              Cases
            </Text>
            <SegmentedControl
              aria-labelledby="run-cases-from"
              data={[
                { value: "cases", label: "Selected cases" },
                { value: "plan", label: "From a plan" },
                { value: "all", label: "All cases" },
              ]}
              value={source}
              onChange={(v) => setSource(v as Source)}
            />
          </div>
          {source === "plan" && (
            <Select
              label="Plan"
              placeholder="Choose a plan"
              data={(plans.data?.entities ?? []).map((p) => ({
                value: String(p.id),
                label: `${p.title} (${p.cases_count} cases)`,
              }))}
              value={plan}
              onChange={setPlan}
              error={(plan === null ? local.plan_id : undefined) ?? err?.fieldError("plan_id")}
            />
          )}
          {source === "cases" && (
            <CasePicker
              code={code}
              value={cases}
              onChange={setCases}
              error={(cases.length === 0 ? local.cases : undefined) ?? err?.fieldError("cases")}
            />
          )}
          {source === "all" && <Text size="sm">Every case of the project, as it is now.</Text>}
          <Button type="submit" loading={save.isPending}>
            Start run
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}
