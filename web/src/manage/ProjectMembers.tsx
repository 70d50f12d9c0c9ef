import {
  Alert,
  Badge,
  Box,
  Button,
  Group,
  Pagination,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api, type Me, type Page, type Project } from "../api";
import { formatTime } from "../repository/data";
import { ConfirmModal } from "./ConfirmModal";

const PER_PAGE = 20;

/** A user granted access to the project (GET /v1/project/{code}/access). */
interface Member {
  id: number;
  name: string;
  email: string;
  role: string;
  is_active: boolean;
  granted_at: string;
}

interface User {
  id: number;
  name: string;
  email: string;
  is_active: boolean;
}

/** What the project's access mode means for who may open it (the server's rule, in words). */
const ACCESS_WORDS: Record<string, string> = {
  all: "Everyone in the workspace can open this project. The people listed here keep access if it is closed.",
  group: "Only admins and the people listed here can open this project.",
  none: "Only admins and the people listed here can open this project.",
};

function useMembers(code: string, page: number) {
  return useQuery({
    queryKey: ["project-members", code, page],
    queryFn: () =>
      api<Page<Member>>(
        "GET",
        `/v1/project/${encodeURIComponent(code)}/access?limit=${PER_PAGE}&offset=${(page - 1) * PER_PAGE}`,
      ),
    placeholderData: keepPreviousData,
  });
}

/** Give one more user access: a picker of the workspace's first 100 users (the API's largest page). */
function GrantAccess({ code, onGranted }: { code: string; onGranted(): void }) {
  const [userId, setUserId] = useState<string | null>(null);
  const users = useQuery({
    queryKey: ["users", "pick"],
    queryFn: () => api<Page<User>>("GET", "/v1/user?limit=100"),
  });
  const grant = useMutation({
    mutationFn: () =>
      api("POST", `/v1/project/${encodeURIComponent(code)}/access`, { member_id: Number(userId) }),
    onSuccess: () => {
      setUserId(null);
      onGranted();
    },
  });
  const err = grant.error instanceof ApiError ? grant.error : null;
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (userId) grant.mutate();
      }}
    >
      <Group align="flex-end" gap="sm">
        <Select
          label="Give access to"
          placeholder={users.isLoading ? "Loading users…" : "Pick a user"}
          searchable
          nothingFoundMessage="No such user"
          data={(users.data?.entities ?? [])
            .filter((u) => u.is_active)
            .map((u) => ({ value: String(u.id), label: `${u.name} (${u.email})` }))}
          value={userId}
          onChange={setUserId}
          error={
            err?.fieldError("member_id") ?? (grant.error && !err?.fields.length ? grant.error.message : null)
          }
          w={{ base: "100%", sm: 360 }}
        />
        <Button type="submit" disabled={!userId} loading={grant.isPending}>
          Grant access
        </Button>
      </Group>
      {users.error && (
        <Alert color="red" mt="xs">
          {users.error.message}
        </Alert>
      )}
    </form>
  );
}

/** Who has access to the project, and (for admins) granting and revoking it. */
export function ProjectMembers({ project, me }: { project: Project; me: Me }) {
  const client = useQueryClient();
  const [page, setPage] = useState(1);
  const [revoking, setRevoking] = useState<Member | null>(null);
  const members = useMembers(project.code, page);
  const canManage = me.permissions.includes("project.access");
  const pages = members.data ? Math.ceil(members.data.total / PER_PAGE) : 0;
  const refresh = () => client.invalidateQueries({ queryKey: ["project-members", project.code] });

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="members-title">
      <Stack gap="sm">
        <Title order={3} id="members-title">
          Members and access
        </Title>
        <Group gap="xs">
          <Text size="sm">Access mode:</Text>
          <Badge variant="light" radius="sm" tt="none">
            {project.access}
          </Badge>
        </Group>
        <Text size="sm" c="dimmed">
          {ACCESS_WORDS[project.access] ?? "Only admins and the people listed here can open this project."}
        </Text>
        {canManage && <GrantAccess code={project.code} onGranted={refresh} />}
        {members.error && <Alert color="red">{members.error.message}</Alert>}
        {members.isLoading && <Text size="sm">Loading members…</Text>}
        {members.data && members.data.total === 0 && (
          <Text size="sm" c="dimmed">
            Nobody has been given access yet.
          </Text>
        )}
        {members.data && members.data.count > 0 && (
          <Table.ScrollContainer minWidth={520}>
            <Table aria-label="Project members">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Email</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Since</Table.Th>
                  {canManage && (
                    <Table.Th w={100}>
                      <VisuallyHidden>Actions</VisuallyHidden>
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {members.data.entities.map((m) => (
                  <Table.Tr key={m.id}>
                    <Table.Td>
                      {m.name}
                      {!m.is_active && (
                        <Badge ml="xs" color="gray" size="sm" radius="sm" tt="none">
                          Deactivated
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{m.email}</Table.Td>
                    <Table.Td>{m.role}</Table.Td>
                    <Table.Td>{formatTime(m.granted_at)}</Table.Td>
                    {canManage && (
                      <Table.Td>
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          aria-label={`Revoke access of ${m.name}`}
                          onClick={() => setRevoking(m)}
                        >
                          Revoke
                        </Button>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {pages > 1 && (
          <Box component="nav" aria-label="Member pages">
            <Pagination total={pages} value={page} onChange={setPage} />
          </Box>
        )}
      </Stack>
      {revoking && (
        <ConfirmModal
          title="Revoke access?"
          confirmLabel="Revoke access"
          action={() =>
            api("DELETE", `/v1/project/${encodeURIComponent(project.code)}/access`, {
              member_id: revoking.id,
            })
          }
          onClose={() => setRevoking(null)}
          onDone={() => {
            setRevoking(null);
            refresh();
          }}
        >
          {revoking.name} ({revoking.email}) will no longer be able to open {project.code} unless the project
          is open to everyone or they are an admin.
        </ConfirmModal>
      )}
    </Paper>
  );
}
