import { Alert, Loader, Stack, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useNavigate, useParams, useSearchParams } from "react-router-dom";
import { ApiError, api, type Me } from "../api";
import { AttachmentsEditor } from "./CaseAttachments";
import { CaseFields, FormSection, SaveForm, suiteOptions } from "./CaseFields";
import { CaseCrumbs, useCase } from "./CasePage";
import { useCaseFields } from "./CustomFields";
import { type CaseDraft, caseDraft, caseFieldNames, draftBody, enumBody } from "./caseDraft";
import { useSuites, useSystemFields } from "./data";
import { type AttachmentRef, CASE_ENUMS, type CustomField, type SystemField, type TestCase } from "./types";

interface Draft extends CaseDraft {
  attachments: AttachmentRef[];
}

function draftOf(
  c: TestCase | undefined,
  fields: SystemField[],
  custom: CustomField[],
  suite: string | null,
): Draft {
  return { ...caseDraft(c, fields, custom, suite), attachments: c?.attachments ?? [] };
}

/**
 * `enabled`: ids of the custom fields the project may use; stored values of others would be refused.
 * A create leaves empty custom fields out (their defaults apply); an edit sends "" to clear one, since
 * an update only changes the fields it names.
 */
function bodyOf(d: Draft, enabled: Set<string>, editing: boolean) {
  return {
    ...draftBody(d),
    ...enumBody(d, CASE_ENUMS),
    is_flaky: d.flaky,
    attachments: d.attachments.map((a) => a.hash),
    custom_field: Object.fromEntries(
      Object.entries(d.custom).filter(([k, v]) => enabled.has(k) && (editing || v !== "")),
    ),
  };
}

/** Create (/cases/new) or edit (/cases/:id/edit) a case; the server's 422 errors show at their fields. */
export function CaseFormPage({ me }: { me: Me }) {
  const params = useParams();
  const code = params.code ?? "";
  const id = params.id === undefined ? null : Number(params.id);
  const [search] = useSearchParams();
  const existing = useCase(code, id);
  const fields = useSystemFields();
  const suites = useSuites(code);
  const custom = useCaseFields(code);
  const canWrite = me.permissions.includes("repository.write");
  const ready = fields.data && suites.data && custom.data && (id === null || existing.data);
  const error = fields.error ?? suites.error ?? custom.error ?? (id !== null ? existing.error : null);
  return (
    <Stack>
      <CaseCrumbs
        code={code}
        testCase={id === null ? undefined : existing.data}
        last={id === null ? "New case" : "Edit"}
      />
      <Title order={2}>{id === null ? "New case" : `Edit ${existing.data?.title ?? "case"}`}</Title>
      {!canWrite && (
        <Alert color="red">You do not have permission to change this project's test cases.</Alert>
      )}
      {error && <Alert color="red">{error.message}</Alert>}
      {canWrite && !ready && !error && <Loader aria-label="Loading" />}
      {canWrite && ready && fields.data && suites.data && custom.data && (
        <CaseForm
          code={code}
          id={id}
          initial={draftOf(
            id === null ? undefined : existing.data,
            fields.data,
            custom.data,
            search.get("suite"),
          )}
          fields={fields.data}
          customFields={custom.data}
          suiteOptions={suiteOptions(suites.data)}
        />
      )}
    </Stack>
  );
}

function CaseForm({
  code,
  id,
  initial,
  fields,
  customFields,
  suiteOptions,
}: {
  code: string;
  id: number | null;
  initial: Draft;
  fields: SystemField[];
  customFields: CustomField[];
  suiteOptions: { value: string; label: string }[];
}) {
  const [d, setD] = useState(initial);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const enabled = new Set(customFields.map((f) => String(f.id)));
  const save = useMutation({
    mutationFn: () => {
      const base = `/v1/case/${encodeURIComponent(code)}`;
      return id === null
        ? api<{ id: number }>("POST", base, bodyOf(d, enabled, false))
        : api<{ id: number }>("PATCH", `${base}/${id}`, bodyOf(d, enabled, true));
    },
    onSuccess: (r) => {
      for (const key of ["cases", "suites", "project", "case", "versions"])
        queryClient.invalidateQueries({ queryKey: [key, code] });
      queryClient.invalidateQueries({ queryKey: ["projects"] });
      navigate(`/projects/${code}/cases/${r.id}`);
    },
  });
  const err = save.error instanceof ApiError ? save.error : null;
  const errorOf = (field: string) => err?.fieldError(field);
  // Errors for fields this form does not show are listed in the summary on top.
  const shown = useMemo(
    () => new Set([...caseFieldNames(d.steps, customFields), "attachments"]),
    [d.steps, customFields],
  );
  const cancel =
    id === null ? `/projects/${code}${d.suite ? `?suite=${d.suite}` : ""}` : `/projects/${code}/cases/${id}`;

  return (
    <SaveForm
      save={save}
      shown={shown}
      errorTitle="The case was not saved"
      submitLabel={id === null ? "Create case" : "Save case"}
      cancel={cancel}
    >
      <CaseFields
        draft={d}
        update={(fn) => setD((prev) => ({ ...prev, ...fn(prev) }))}
        fields={fields}
        customFields={customFields}
        suiteOptions={suiteOptions}
        errorOf={errorOf}
        beforeSteps={
          <FormSection title="Attachments">
            <AttachmentsEditor
              code={code}
              value={d.attachments}
              onChange={(fn) => setD((prev) => ({ ...prev, attachments: fn(prev.attachments) }))}
              error={errorOf("attachments")}
            />
          </FormSection>
        }
      />
    </SaveForm>
  );
}
