// Shared by the benchmarks: start a bench server (bench/server.ts) in its own process, stop it.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";

export interface Started {
  child: ChildProcess;
  port: number;
  token: string;
}

export async function start(
  mode: string,
  extra: string[] = [],
  env: Record<string, string> = {},
): Promise<Started> {
  const child = spawn(
    process.execPath,
    [
      // As `npm start` runs the server (package.json); the bare servers get it too, to compare like with like.
      "--max-semi-space-size=64",
      ...(process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_PROFILE] : []),
      "--import",
      "tsx",
      path.join("bench", "server.ts"),
      mode,
      ...extra,
    ],
    {
      // A server is on PostgreSQL only when its caller says so: BENCH_DATABASE_URL in the bench's own
      // environment must not turn the SQLite measurements into PostgreSQL ones.
      env: { ...process.env, BENCH_DATABASE_URL: "", ...env },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    rl.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`bench server (${mode}) exited with ${code}`)));
  });
  const { port, token } = JSON.parse(line) as { port: number; token: string };
  return { child, port, token };
}

export async function stop(s: Started) {
  const done = new Promise((r) => s.child.once("exit", r));
  s.child.kill("SIGTERM");
  await done;
}
