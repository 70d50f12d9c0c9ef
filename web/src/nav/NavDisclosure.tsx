import { Box, Button, type ButtonProps, Paper } from "@mantine/core";
import { useClickOutside, useId } from "@mantine/hooks";
import { type ReactNode, useRef, useState } from "react";

/**
 * A button that shows and hides a panel of links (the WAI "disclosure navigation" pattern): the links
 * stay links, so aria-current and a screen reader's links list keep working, unlike an ARIA menu.
 * Escape closes it and returns focus to the button; so does a click outside or tabbing away.
 */
export function NavDisclosure({
  label,
  current,
  buttonProps,
  panelWidth,
  children,
}: {
  label: ReactNode;
  /** Whether the section shown now is behind this button. */
  current: boolean;
  buttonProps?: ButtonProps & { "aria-label"?: string };
  panelWidth?: number | string;
  children: (close: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const wrapper = useClickOutside(() => setOpen(false));
  const close = () => setOpen(false);
  return (
    <Box
      ref={wrapper}
      pos="relative"
      onKeyDown={(e) => {
        if (e.key === "Escape" && open) {
          e.stopPropagation();
          setOpen(false);
          button.current?.focus();
        }
      }}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <Button
        ref={button}
        variant={current ? "light" : "subtle"}
        aria-expanded={open}
        aria-controls={panelId}
        aria-current={current ? "true" : undefined}
        rightSection={<span aria-hidden="true">{open ? "▴" : "▾"}</span>}
        onClick={() => setOpen((o) => !o)}
        {...buttonProps}
      >
        {label}
      </Button>
      <Paper
        id={panelId}
        hidden={!open}
        shadow="md"
        withBorder
        p={4}
        pos="absolute"
        top="calc(100% + 4px)"
        left={0}
        w={panelWidth ?? 220}
        // Paper's own display rule beats the hidden attribute, so the closed panel is hidden here too.
        style={{ zIndex: 150, display: open ? undefined : "none" }}
      >
        {open && children(close)}
      </Paper>
    </Box>
  );
}
