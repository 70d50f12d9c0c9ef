import "@mantine/core/styles.css";
import { type CSSVariablesResolver, createTheme, MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router-dom";
import { App } from "./App";

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } },
});
/**
 * Mantine's defaults fall under WCAG AA's 4.5:1 for small text: blue-6 links and buttons (3.5:1), gray-6
 * "dimmed" text (3.3:1), the shade-9 text of light badges on their tint (green 3.8:1, yellow 2.7:1) and
 * red-6 error text (3.3:1; red-8, what c="red" gets from the primary shade, is 4.5:1 on white only).
 * One shade darker for the primary colour, gray-7 for dimmed text, light-variant text darkened by 30%
 * and red-9 (5.5:1 on white, 5.2:1 on gray-0) for field errors, required marks and red text pass it.
 */
const theme = createTheme({ primaryShade: { light: 8, dark: 8 } });
const resolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    "--mantine-color-dimmed": "var(--mantine-color-gray-7)",
    "--mantine-color-error": "var(--mantine-color-red-9)",
    "--mantine-color-red-text": "var(--mantine-color-red-9)",
    ...Object.fromEntries(
      Object.keys(t.colors).map((c) => [
        `--mantine-color-${c}-light-color`,
        `color-mix(in srgb, var(--mantine-color-${c}-9) 70%, black)`,
      ]),
    ),
  },
  dark: {},
});

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <MantineProvider defaultColorScheme="light" theme={theme} cssVariablesResolver={resolver}>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <App />
          </BrowserRouter>
        </QueryClientProvider>
      </MantineProvider>
    </StrictMode>,
  );
}
