import { MultiSelect, Switch } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { api, type Page, type Project } from "../api";

/** "Enabled for all projects" or for the projects picked (the first 100, the API's largest page). */
export function ProjectScope({
  all,
  onAll,
  codes,
  onCodes,
  error,
}: {
  all: boolean;
  onAll(all: boolean): void;
  codes: string[];
  onCodes(codes: string[]): void;
  error: string | undefined;
}) {
  const projects = useQuery({
    queryKey: ["projects", "pick"],
    queryFn: () => api<Page<Project>>("GET", "/v1/project?limit=100"),
  });
  return (
    <>
      <Switch
        label="Enabled for all projects"
        checked={all}
        onChange={(e) => onAll(e.currentTarget.checked)}
      />
      {!all && (
        <MultiSelect
          label="Enabled for projects"
          data={(projects.data?.entities ?? []).map((p) => ({
            value: p.code,
            label: `${p.code} · ${p.title}`,
          }))}
          value={codes}
          onChange={onCodes}
          searchable
          error={error ?? projects.error?.message}
        />
      )}
    </>
  );
}
