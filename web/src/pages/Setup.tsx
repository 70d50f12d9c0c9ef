import { Alert, Button, Card, Center, PasswordInput, Stack, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { ApiError, api } from "../api";

/**
 * First run: no user exists, so the first person creates the owner account. From another machine than
 * the server's own, the server asks for the setup code it printed in its log.
 */
export function SetupPage({ codeRequired }: { codeRequired: boolean }) {
  const [form, setForm] = useState({ name: "", email: "", password: "", setup_code: "" });
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { setup_code, ...owner } = form;
      await api("POST", "/v1/auth/setup", codeRequired ? { ...owner, setup_code } : owner);
      window.location.assign("/");
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Center mih="100vh" p="md">
      <Card withBorder shadow="sm" w={420} maw="100%" padding="lg">
        <form onSubmit={submit}>
          <Stack>
            <Title order={2}>Set up Verdict</Title>
            <p>Create the owner account. You can invite the rest of your team afterwards.</p>
            {error && <Alert color="red">{error.message}</Alert>}
            <TextInput
              label="Name"
              required
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
              error={error?.fieldError("name")}
            />
            <TextInput
              label="Email"
              type="email"
              required
              value={form.email}
              onChange={(e) => setForm({ ...form, email: e.currentTarget.value })}
              error={error?.fieldError("email")}
            />
            <PasswordInput
              label="Password"
              description="At least 8 characters"
              required
              minLength={8}
              value={form.password}
              onChange={(e) => setForm({ ...form, password: e.currentTarget.value })}
              error={error?.fieldError("password")}
            />
            {codeRequired && (
              <TextInput
                label="Setup code"
                description="Printed in the server's log when it started"
                required
                value={form.setup_code}
                onChange={(e) => setForm({ ...form, setup_code: e.currentTarget.value })}
                error={error?.fieldError("setup_code")}
              />
            )}
            <Button type="submit" loading={busy}>
              Create owner account
            </Button>
          </Stack>
        </form>
      </Card>
    </Center>
  );
}
