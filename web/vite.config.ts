import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

const root = path.dirname(fileURLToPath(import.meta.url));
const FIRST_PAGE_BUDGET_KB = 300;

/**
 * Prints the compressed JavaScript the first page loads (the entry chunk and what it imports
 * statically; lazy screens excluded) and fails the build past the budget, so growth is seen at once.
 */
function firstPageBudget(): Plugin {
  return {
    name: "verdict-first-page-budget",
    generateBundle(_options, bundle) {
      const chunks = new Map<string, { code: string; imports: string[] }>();
      let entry: string | undefined;
      for (const [file, out] of Object.entries(bundle))
        if (out.type === "chunk") {
          chunks.set(file, { code: out.code, imports: out.imports });
          if (out.isEntry) entry = file;
        }
      const seen = new Set<string>();
      const visit = (file: string) => {
        if (seen.has(file)) return;
        seen.add(file);
        for (const dep of chunks.get(file)?.imports ?? []) visit(dep);
      };
      if (entry) visit(entry);
      const bytes = [...seen].reduce((n, f) => n + gzipSync(chunks.get(f)?.code ?? "").length, 0);
      const kb = bytes / 1024;
      this.info(
        `first page JavaScript: ${kb.toFixed(1)} kB gzip in ${seen.size} files (budget ${FIRST_PAGE_BUDGET_KB} kB)`,
      );
      if (kb > FIRST_PAGE_BUDGET_KB)
        this.error(`first page JavaScript is over the ${FIRST_PAGE_BUDGET_KB} kB budget`);
    },
  };
}

export default defineConfig({
  root,
  plugins: [react(), firstPageBudget()],
  build: { outDir: path.join(root, "dist"), emptyOutDir: true, chunkSizeWarningLimit: 700 },
  server: { proxy: { "/v1": "http://127.0.0.1:8080", "/v2": "http://127.0.0.1:8080" } },
});
