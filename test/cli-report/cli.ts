import { spawn } from "node:child_process";
import path from "node:path";

const root = path.resolve(".");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `verdict` command (through tsx) without blocking the event loop, so a server living in
 * the test process keeps answering it.
 */
export function verdict(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: "",
        VERDICT_URL: "",
        VERDICT_TOKEN: "",
        VERDICT_PROJECT: "",
        VERDICT_RUN_ID: "",
        VERDICT_BUILD_ID: "",
        QASE_TESTOPS_API_TOKEN: "",
        QASE_TESTOPS_RUN_ID: "",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export const fixture = (...parts: string[]) => path.join(root, "test/fixtures/reports", ...parts);
