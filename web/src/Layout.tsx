import { AppShell, Burger, Button, Group, NavLink, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link, useLocation } from "react-router-dom";
import { api, type Me } from "./api";
import { ProjectGate } from "./manage/ProjectGate";
import { Shortcuts, SkipLink } from "./shortcuts/Shortcuts";

export function Layout({ me, children }: { me: Me; children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const queryClient = useQueryClient();
  const signOut = async () => {
    await api("POST", "/v1/auth/logout");
    queryClient.clear();
    window.location.assign("/");
  };
  const links = [
    { to: "/projects", label: "Projects" },
    { to: "/search", label: "Search" },
    { to: "/tokens", label: "API tokens" },
    ...(me.permissions.includes("user.manage") ? [{ to: "/workspace", label: "Workspace" }] : []),
  ];
  return (
    <>
      <SkipLink target="main" />
      <Shortcuts />
      <AppShell
        header={{ height: 56 }}
        navbar={{ width: 220, breakpoint: "sm", collapsed: { mobile: !opened } }}
        padding="md"
      >
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between">
            <Group gap="sm">
              <Burger
                opened={opened}
                onClick={toggle}
                hiddenFrom="sm"
                size="sm"
                aria-label="Toggle navigation"
              />
              <Title order={3}>Verdict</Title>
            </Group>
            <Group gap="sm">
              <Text size="sm" visibleFrom="xs">
                {me.user.name} · {me.user.role}
              </Text>
              <Button variant="default" size="xs" onClick={signOut}>
                Sign out
              </Button>
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs" aria-label="Main">
          {links.map((l) => (
            <NavLink
              key={l.to}
              component={Link}
              to={l.to}
              label={l.label}
              active={location.pathname.startsWith(l.to)}
              aria-current={
                location.pathname === l.to ? "page" : location.pathname.startsWith(l.to) ? "true" : undefined
              }
              onClick={close}
            />
          ))}
        </AppShell.Navbar>
        {/* The skip link's target; focusable from script only, so Tab order is unchanged. */}
        <AppShell.Main id="main" tabIndex={-1} style={{ outline: "none" }}>
          <ProjectGate>{children}</ProjectGate>
        </AppShell.Main>
      </AppShell>
    </>
  );
}
