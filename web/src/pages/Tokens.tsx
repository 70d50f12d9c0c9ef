import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  Menu,
  Modal,
  MultiSelect,
  Radio,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api, type Me, type Page, type Project, type Token, type TokenPolicy } from "../api";

const EXPIRY = ["7", "30", "60", "90", "180", "365"];

function when(iso: string | null, none: string): string {
  return iso ? new Date(iso).toLocaleDateString() : none;
}

export function TokensPage({ me }: { me: Me }) {
  const isAdmin = me.permissions.includes("token.admin");
  const [all, setAll] = useState(false);
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const queryClient = useQueryClient();
  const tokens = useQuery({
    queryKey: ["tokens", all],
    queryFn: () => api<Page<Token>>("GET", `/v1/token?limit=100&all=${all}`),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["tokens"] });
  const rotate = useMutation({
    mutationFn: (t: Token) => api<{ token: string }>("POST", `/v1/token/${t.id}/rotate`),
    onSuccess: (r) => {
      setSecret(r.token);
      refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (t: Token) => api("DELETE", `/v1/token/${t.id}`),
    onSuccess: () => {
      setRevoking(null);
      refresh();
    },
  });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>API tokens</Title>
        <Button onClick={() => setCreating(true)}>Create token</Button>
      </Group>
      <Text c="dimmed" size="sm">
        Tokens authenticate CI pipelines, reporters and scripts (header <Code>Token</Code> or{" "}
        <Code>Authorization: Bearer</Code>). They act with your role, narrowed by their scopes and projects.
      </Text>
      {isAdmin && (
        <Switch
          label="Show every user's tokens"
          checked={all}
          onChange={(e) => setAll(e.currentTarget.checked)}
        />
      )}
      {(tokens.error || rotate.error || revoke.error) && (
        <Alert color="red">{(tokens.error ?? rotate.error ?? revoke.error)?.message}</Alert>
      )}
      {tokens.data && tokens.data.total === 0 && <Text c="dimmed">No tokens yet.</Text>}
      {tokens.data && tokens.data.count > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table striped aria-label="API tokens">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                {all && <Table.Th>Owner</Table.Th>}
                <Table.Th>Token</Table.Th>
                <Table.Th>Scopes</Table.Th>
                <Table.Th>Projects</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th>
                  <span className="visually-hidden">Actions</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tokens.data.entities.map((t) => (
                <Table.Tr key={t.id}>
                  <Table.Td>
                    {t.title} {t.status !== "active" && <Badge color="gray">{t.status}</Badge>}
                  </Table.Td>
                  {all && <Table.Td>{t.user.email}</Table.Td>}
                  <Table.Td>
                    <Code>{t.preview}</Code>
                  </Table.Td>
                  <Table.Td>{t.scopes.join(", ")}</Table.Td>
                  <Table.Td>{t.projects ? t.projects.join(", ") : "All"}</Table.Td>
                  <Table.Td>{when(t.created_at, "")}</Table.Td>
                  <Table.Td>{when(t.expires_at, "Never")}</Table.Td>
                  <Table.Td>
                    {t.last_used_at ? `${when(t.last_used_at, "")} (${t.last_used_ip ?? "?"})` : "Never"}
                  </Table.Td>
                  <Table.Td>
                    <Menu position="bottom-end">
                      <Menu.Target>
                        <Button variant="subtle" size="xs" aria-label={`Actions for ${t.title}`}>
                          ⋯
                        </Button>
                      </Menu.Target>
                      <Menu.Dropdown>
                        {t.user.id === me.user.id && t.status === "active" && (
                          <Menu.Item onClick={() => rotate.mutate(t)}>Rotate</Menu.Item>
                        )}
                        <Menu.Item color="red" onClick={() => setRevoking(t)}>
                          Revoke
                        </Menu.Item>
                      </Menu.Dropdown>
                    </Menu>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CreateToken
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={(s) => {
          setCreating(false);
          setSecret(s);
          refresh();
        }}
      />
      <SecretDialog secret={secret} onClose={() => setSecret(null)} />
      <Modal opened={revoking !== null} onClose={() => setRevoking(null)} title="Revoke token?">
        <Stack>
          <Text>
            Anything using <b>{revoking?.title}</b> will get 401 Unauthorized from now on. This cannot be
            undone.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRevoking(null)}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={revoke.isPending}
              onClick={() => revoking && revoke.mutate(revoking)}
            >
              Revoke token
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

function CreateToken(props: { opened: boolean; onClose: () => void; onCreated: (secret: string) => void }) {
  const [title, setTitle] = useState("");
  const [expiry, setExpiry] = useState("90");
  const [customDate, setCustomDate] = useState("");
  const [scope, setScope] = useState("full");
  const [projects, setProjects] = useState<string[]>([]);
  const policy = useQuery({
    queryKey: ["policy"],
    queryFn: () => api<TokenPolicy>("GET", "/v1/workspace/settings"),
  });
  const projectList = useQuery({
    queryKey: ["projects", "all"],
    queryFn: () => api<Page<Project>>("GET", "/v1/project?limit=100"),
    enabled: props.opened,
  });
  const max = policy.data?.token_max_lifetime_days ?? null;
  const options = [
    ...EXPIRY.filter((d) => max === null || Number(d) <= max).map((d) => ({ value: d, label: `${d} days` })),
    { value: "custom", label: "Custom date" },
    ...(policy.data?.token_allow_never === false ? [] : [{ value: "never", label: "No expiration" }]),
  ];
  const create = useMutation({
    mutationFn: () => {
      const expiryField =
        expiry === "never"
          ? { expires_at: null }
          : expiry === "custom"
            ? { expires_at: customDate }
            : { expires_in_days: Number(expiry) };
      return api<{ token: string }>("POST", "/v1/token", {
        title,
        ...expiryField,
        scopes: [scope],
        projects: projects.length > 0 ? projects : null,
      });
    },
    onSuccess: (r) => {
      setTitle("");
      setProjects([]);
      props.onCreated(r.token);
    },
  });
  const err = create.error instanceof ApiError ? create.error : null;
  return (
    <Modal opened={props.opened} onClose={props.onClose} title="Create API token">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Stack>
          {err && <Alert color="red">{err.message}</Alert>}
          <TextInput
            label="Name"
            description="What it is for, e.g. GitHub Actions - nightly"
            required
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            error={err?.fieldError("title")}
          />
          <Select
            label="Expiration"
            data={options}
            value={expiry}
            onChange={(v) => setExpiry(v ?? "90")}
            allowDeselect={false}
            error={
              err?.fieldError("expires_in_days") ??
              (expiry !== "custom" ? err?.fieldError("expires_at") : undefined)
            }
          />
          {expiry === "custom" && (
            <TextInput
              label="Expires on"
              type="date"
              required
              value={customDate}
              onChange={(e) => setCustomDate(e.currentTarget.value)}
              error={err?.fieldError("expires_at")}
            />
          )}
          <Radio.Group label="Scope" value={scope} onChange={setScope} error={err?.fieldError("scopes")}>
            <Stack gap={4} mt={4}>
              <Radio value="read" label="Read: view projects, cases, runs and results" />
              <Radio
                value="results"
                label="Results: what CI needs (create runs, post results and attachments)"
              />
              <Radio value="full" label="Full: everything your role allows" />
            </Stack>
          </Radio.Group>
          <MultiSelect
            label="Projects"
            description="Leave empty for every project you can access"
            data={(projectList.data?.entities ?? []).map((p) => ({
              value: p.code,
              label: `${p.code} · ${p.title}`,
            }))}
            value={projects}
            onChange={setProjects}
            searchable
            error={err?.fieldError("projects")}
          />
          <Button type="submit" loading={create.isPending}>
            Create token
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}

/** The secret is shown once; the dialog stays until the user confirms they saved it. */
function SecretDialog({ secret, onClose }: { secret: string | null; onClose: () => void }) {
  const [saved, setSaved] = useState(false);
  const close = () => {
    setSaved(false);
    onClose();
  };
  return (
    <Modal
      opened={secret !== null}
      onClose={() => saved && close()}
      withCloseButton={false}
      closeOnClickOutside={false}
      closeOnEscape={false}
      title="Copy your new token"
    >
      <Stack>
        <Alert color="yellow">
          This is the only time the token is shown. Store it in your CI secrets now.
        </Alert>
        <Code block data-testid="new-token" style={{ wordBreak: "break-all" }}>
          {secret}
        </Code>
        <CopyButton value={secret ?? ""}>
          {({ copied, copy }) => (
            <Button variant="light" onClick={copy}>
              {copied ? "Copied" : "Copy token"}
            </Button>
          )}
        </CopyButton>
        <Checkbox
          label="I have saved it"
          checked={saved}
          onChange={(e) => setSaved(e.currentTarget.checked)}
        />
        <Button disabled={!saved} onClick={close}>
          Done
        </Button>
      </Stack>
    </Modal>
  );
}
