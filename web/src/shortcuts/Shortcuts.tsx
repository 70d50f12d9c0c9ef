import { Anchor, Box, Kbd, Modal, Table } from "@mantine/core";
import { useHotkeys } from "@mantine/hooks";
import { useRef, useState } from "react";
import { useLocation, useNavigate } from "react-router-dom";

/** Inputs that "/" focuses: the page's own search box when it has one (mark it with this attribute). */
export const SEARCH_INPUT = { "data-hotkey-search": "" } as const;

/** Where "g c" and "g r" go: the project in the address, if any. */
function projectOf(pathname: string): string | null {
  const m = /^\/projects\/([^/]+)/.exec(pathname);
  return m?.[1] ?? null;
}

const KEYS: [string[], string][] = [
  [["/"], "Search (this page's search box, or the search page)"],
  [["g", "p"], "Go to projects"],
  [["g", "c"], "Go to the cases of this project"],
  [["g", "r"], "Go to the runs of this project"],
  [["j"], "Next case in the case list"],
  [["k"], "Previous case in the case list"],
  [["?"], "Show these shortcuts"],
];

/** The app-wide keys (a "g" then a letter within a second goes somewhere) and the dialog that lists them. */
export function Shortcuts() {
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const [help, setHelp] = useState(false);
  const gAt = useRef(0);
  const after = (to: (code: string | null) => string) => () => {
    if (Date.now() - gAt.current > 1000) return;
    gAt.current = 0;
    navigate(to(projectOf(pathname)));
  };
  useHotkeys([
    [
      "/",
      () => {
        const box = document.querySelector<HTMLElement>("[data-hotkey-search]");
        if (box) box.focus();
        else navigate("/search", { state: { focusSearch: true } });
      },
    ],
    ["g", () => (gAt.current = Date.now())],
    ["p", after(() => "/projects")],
    ["c", after((code) => (code ? `/projects/${code}` : "/projects"))],
    ["r", after((code) => (code ? `/projects/${code}/runs` : "/projects"))],
    ["shift+?", () => setHelp(true)],
  ]);
  return (
    <Modal opened={help} onClose={() => setHelp(false)} title="Keyboard shortcuts">
      <Table aria-label="Keyboard shortcuts">
        <Table.Tbody>
          {KEYS.map(([keys, what]) => (
            <Table.Tr key={what}>
              <Table.Td style={{ whiteSpace: "nowrap" }}>
                {keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && " then "}
                    <Kbd>{k}</Kbd>
                  </span>
                ))}
              </Table.Td>
              <Table.Td>{what}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}

/** The first thing Tab reaches: jumps past the header and the navigation to the page itself. */
export function SkipLink({ target }: { target: string }) {
  const [shown, setShown] = useState(false);
  return (
    <Box
      pos="fixed"
      top={shown ? 8 : -100}
      left={8}
      style={{ zIndex: 1000 }}
      bg="var(--mantine-color-body)"
      p="xs"
    >
      <Anchor
        href={`#${target}`}
        onFocus={() => setShown(true)}
        onBlur={() => setShown(false)}
        onClick={(e) => {
          e.preventDefault();
          document.getElementById(target)?.focus();
        }}
      >
        Skip to content
      </Anchor>
    </Box>
  );
}
