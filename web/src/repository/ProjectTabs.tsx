import { Box, Button, Group, NavLink, Text } from "@mantine/core";
import { Link } from "react-router-dom";
import { NavDisclosure } from "../nav/NavDisclosure";
import { NAV_ENTRIES, SECTIONS, type Section, type SectionValue, sectionPath } from "../nav/sections";

export type ProjectTab = SectionValue;

function SectionLinks({
  code,
  sections,
  active,
  onFollow,
}: {
  code: string;
  sections: readonly Section[];
  active: ProjectTab;
  onFollow: () => void;
}) {
  return (
    <Box component="ul" m={0} p={0} style={{ listStyle: "none" }}>
      {sections.map((s) => (
        <li key={s.value}>
          <NavLink
            component={Link}
            to={sectionPath(code, s)}
            label={s.label}
            active={s.value === active}
            aria-current={s.value === active ? "page" : undefined}
            onClick={onFollow}
          />
        </li>
      ))}
    </Box>
  );
}

/** Laptop and wider: the everyday sections as links, the rest under "Planning" and "Library". */
function SectionBar({ code, active }: { code: string; active: ProjectTab }) {
  return (
    <Group component="ul" gap={4} m={0} p={0} wrap="nowrap" style={{ listStyle: "none" }} visibleFrom="md">
      {NAV_ENTRIES.map((entry) =>
        entry.kind === "link" ? (
          <li key={entry.section.value}>
            <Button
              component={Link}
              to={sectionPath(code, entry.section)}
              variant={entry.section.value === active ? "light" : "subtle"}
              aria-current={entry.section.value === active ? "page" : undefined}
            >
              {entry.section.label}
            </Button>
          </li>
        ) : (
          <li key={entry.label}>
            <NavDisclosure label={entry.label} current={entry.sections.some((s) => s.value === active)}>
              {(close) => (
                <SectionLinks code={code} sections={entry.sections} active={active} onFollow={close} />
              )}
            </NavDisclosure>
          </li>
        ),
      )}
    </Group>
  );
}

/** Phones and narrow windows: one button naming the current section, opening every section grouped. */
function SectionPicker({ code, active }: { code: string; active: ProjectTab }) {
  const current = SECTIONS.find((s) => s.value === active);
  return (
    <Box hiddenFrom="md">
      <NavDisclosure
        label={`Section: ${current?.label ?? ""}`}
        current={false}
        panelWidth="min(320px, calc(100vw - 32px))"
        buttonProps={{ variant: "default" }}
      >
        {(close) =>
          NAV_ENTRIES.map((entry) =>
            entry.kind === "link" ? (
              <SectionLinks
                key={entry.section.value}
                code={code}
                sections={[entry.section]}
                active={active}
                onFollow={close}
              />
            ) : (
              <Box key={entry.label} mt={4}>
                <Text size="xs" fw={600} c="dimmed" px="sm" pt={4}>
                  {entry.label}
                </Text>
                <SectionLinks code={code} sections={entry.sections} active={active} onFollow={close} />
              </Box>
            ),
          )
        }
      </NavDisclosure>
    </Box>
  );
}

/**
 * The sections of a project page, each its own address under /projects/CODE, in a "Project sections"
 * navigation landmark; the current one carries aria-current="page".
 */
export function ProjectTabs({ code, active }: { code: string; active: ProjectTab }) {
  return (
    <Box component="nav" aria-label="Project sections">
      <SectionBar code={code} active={active} />
      <SectionPicker code={code} active={active} />
    </Box>
  );
}
