import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Pagination,
  PasswordInput,
  Select,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api, type Me, type Page, type TokenPolicy } from "../api";

interface User {
  id: number;
  name: string;
  email: string;
  role: string;
  is_active: boolean;
  created_at: string;
}

interface AuditEntry {
  id: number;
  at: string;
  action: string;
  actor_user_id: number | null;
  actor_user_name: string | null;
  actor_user_email: string | null;
  actor_token_id: number | null;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
}

const ROLES = ["owner", "admin", "member", "viewer"];
const PAGE = 25;

/** Workspace settings for admins: members and roles, the token policy, the audit log. */
export function WorkspacePage({ me }: { me: Me }) {
  const can = (p: string) => me.permissions.includes(p);
  return (
    <Stack>
      <Title order={2}>Workspace</Title>
      <Tabs defaultValue="members" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="members">Members</Tabs.Tab>
          {can("settings.manage") && <Tabs.Tab value="policy">Token policy</Tabs.Tab>}
          {can("audit.read") && <Tabs.Tab value="audit">Audit log</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="members" pt="md">
          <Members me={me} />
        </Tabs.Panel>
        <Tabs.Panel value="policy" pt="md">
          <Policy />
        </Tabs.Panel>
        <Tabs.Panel value="audit" pt="md">
          <Audit />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function Members({ me }: { me: Me }) {
  const [offset, setOffset] = useState(0);
  const [inviting, setInviting] = useState(false);
  const queryClient = useQueryClient();
  const manage = me.permissions.includes("user.manage");
  const users = useQuery({
    queryKey: ["users", offset],
    queryFn: () => api<Page<User>>("GET", `/v1/user?limit=${PAGE}&offset=${offset}`),
  });
  const update = useMutation({
    mutationFn: (v: { id: number; role?: string; is_active?: boolean }) =>
      api<User>("PATCH", `/v1/user/${v.id}`, { role: v.role, is_active: v.is_active }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["users"] }),
  });
  return (
    <Stack>
      {manage && (
        <Group justify="flex-end">
          <Button onClick={() => setInviting(true)}>Add member</Button>
        </Group>
      )}
      {(users.error || update.error) && <Alert color="red">{(users.error ?? update.error)?.message}</Alert>}
      {users.data && (
        <Table.ScrollContainer minWidth={560}>
          <Table striped aria-label="Members">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Email</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.data.entities.map((u) => (
                <Table.Tr key={u.id}>
                  <Table.Td>{u.name}</Table.Td>
                  <Table.Td>{u.email}</Table.Td>
                  <Table.Td>
                    {manage && u.id !== me.user.id ? (
                      <Select
                        aria-label={`Role of ${u.email}`}
                        data={ROLES}
                        value={u.role}
                        allowDeselect={false}
                        onChange={(role) => role && update.mutate({ id: u.id, role })}
                        w={130}
                      />
                    ) : (
                      u.role
                    )}
                  </Table.Td>
                  <Table.Td>
                    {manage && u.id !== me.user.id ? (
                      <Switch
                        aria-label={`${u.email} is active`}
                        checked={u.is_active}
                        label={u.is_active ? "Active" : "Deactivated"}
                        onChange={(e) => update.mutate({ id: u.id, is_active: e.currentTarget.checked })}
                      />
                    ) : (
                      <Badge variant="light" color={u.is_active ? "green" : "gray"}>
                        {u.is_active ? "Active" : "Deactivated"}
                      </Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {users.data && users.data.total > PAGE && (
        <Pagination
          total={Math.ceil(users.data.total / PAGE)}
          value={offset / PAGE + 1}
          onChange={(p) => setOffset((p - 1) * PAGE)}
        />
      )}
      <Invite opened={inviting} onClose={() => setInviting(false)} />
    </Stack>
  );
}

function Invite({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ name: "", email: "", role: "member", password: "" });
  const create = useMutation({
    mutationFn: () => api<User>("POST", "/v1/user", { ...form, password: form.password || undefined }),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: ["users"] });
      setForm({ name: "", email: "", role: "member", password: "" });
      onClose();
    },
  });
  const err = create.error instanceof ApiError ? create.error : null;
  return (
    <Modal opened={opened} onClose={onClose} title="Add member">
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
            required
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
            error={err?.fieldError("name")}
          />
          <TextInput
            label="Email"
            type="email"
            required
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.currentTarget.value })}
            error={err?.fieldError("email")}
          />
          <Select
            label="Role"
            data={ROLES}
            value={form.role}
            allowDeselect={false}
            onChange={(v) => setForm({ ...form, role: v ?? "member" })}
            error={err?.fieldError("role")}
          />
          <PasswordInput
            label="Initial password"
            description="At least 8 characters; leave empty for an API-only account"
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.currentTarget.value })}
            error={err?.fieldError("password")}
          />
          <Button type="submit" loading={create.isPending}>
            Add member
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}

function Policy() {
  const queryClient = useQueryClient();
  const policy = useQuery({
    queryKey: ["policy"],
    queryFn: () => api<TokenPolicy>("GET", "/v1/workspace/settings"),
  });
  const [max, setMax] = useState<number | string>("");
  const [never, setNever] = useState<boolean | null>(null);
  const save = useMutation({
    mutationFn: () =>
      api<TokenPolicy>("PATCH", "/v1/workspace/settings", {
        token_max_lifetime_days: max === "" ? null : Number(max),
        token_allow_never: never ?? policy.data?.token_allow_never ?? true,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["policy"] }),
  });
  if (!policy.data) return policy.error ? <Alert color="red">{policy.error.message}</Alert> : null;
  const err = save.error instanceof ApiError ? save.error : null;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack maw={420}>
        {save.isSuccess && <Alert color="green">Saved.</Alert>}
        {err && <Alert color="red">{err.message}</Alert>}
        <NumberInput
          label="Maximum token lifetime (days)"
          description="Empty for no limit"
          min={1}
          max={3650}
          value={max === "" ? (policy.data.token_max_lifetime_days ?? "") : max}
          onChange={setMax}
          error={err?.fieldError("token_max_lifetime_days")}
        />
        <Switch
          label="Allow tokens that never expire"
          checked={never ?? policy.data.token_allow_never}
          onChange={(e) => setNever(e.currentTarget.checked)}
        />
        <Button type="submit" loading={save.isPending}>
          Save policy
        </Button>
      </Stack>
    </form>
  );
}

function Audit() {
  const [offset, setOffset] = useState(0);
  const audit = useQuery({
    queryKey: ["audit", offset],
    queryFn: () => api<Page<AuditEntry>>("GET", `/v1/audit?limit=${PAGE}&offset=${offset}`),
  });
  if (audit.error) return <Alert color="red">{audit.error.message}</Alert>;
  if (!audit.data) return null;
  return (
    <Stack>
      <Table.ScrollContainer minWidth={640}>
        <Table striped aria-label="Audit log">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Event</Table.Th>
              <Table.Th>By user</Table.Th>
              <Table.Th>Target</Table.Th>
              <Table.Th>IP</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {audit.data.entities.map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td>{new Date(e.at).toLocaleString()}</Table.Td>
                <Table.Td>{e.action}</Table.Td>
                <Table.Td>
                  {e.actor_user_id === null ? (
                    "—"
                  ) : (
                    <span title={e.actor_user_email ?? undefined}>
                      {e.actor_user_name ?? `user ${e.actor_user_id}`}
                    </span>
                  )}
                  {e.actor_token_id ? ` (token ${e.actor_token_id})` : ""}
                </Table.Td>
                <Table.Td>{e.target_type ? `${e.target_type} ${e.target_id}` : "—"}</Table.Td>
                <Table.Td>{e.ip ?? "—"}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {audit.data.total === 0 && <Text c="dimmed">Nothing recorded yet.</Text>}
      {audit.data.total > PAGE && (
        <Pagination
          total={Math.ceil(audit.data.total / PAGE)}
          value={offset / PAGE + 1}
          onChange={(p) => setOffset((p - 1) * PAGE)}
        />
      )}
    </Stack>
  );
}
