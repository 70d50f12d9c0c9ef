import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type TestApp } from "./helpers/app.js";
import { filesUnder } from "./helpers/files.js";
import { random } from "./helpers/fuzz.js";
import { dialects } from "./helpers/stores.js";

// Uploads come from reporters, scripts and browsers, some of them cut off mid-file. Whatever the
// multipart body holds (odd names and types, broken boundaries, truncation, too many or too large
// files), the answer is 200 or a client error, never a 500, and no partly written file stays behind.

const SEEDS = Number(process.env.FUZZ_N ?? 150);
const BOUNDARY = "----verdictfuzz";

const NAMES = [
  "report.txt",
  "",
  "../../etc/passwd",
  "..\\..\\windows\\win.ini",
  "a\u0000b.txt",
  "😀.png",
  "x".repeat(1000),
  'name with "quotes".txt',
  "CON",
  ".",
];
const TYPES = [
  "text/plain",
  "image/png",
  "",
  "application/x-msdownload",
  "text/html; charset=utf-8",
  "x/y/z",
];
const FIELDS = ["file[]", "file", "files", "", "file[0]"];

interface Part {
  field: string;
  name: string | null;
  type: string | null;
  content: Buffer;
}

function body(parts: Part[], rnd: () => number): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.field}"${p.name === null ? "" : `; filename="${p.name}"`}`;
    chunks.push(
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${p.type === null ? "" : `Content-Type: ${p.type}\r\n`}\r\n`,
      ),
      p.content,
      Buffer.from("\r\n"),
    );
  }
  if (rnd() < 0.9) chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  let out = Buffer.concat(chunks);
  const damage = rnd();
  // Cut short (a killed upload), a byte flipped in the framing, or the boundary repeated inside a file.
  if (damage < 0.15) out = out.subarray(0, Math.floor(rnd() * out.length));
  else if (damage < 0.25) {
    const at = Math.floor(rnd() * Math.min(out.length, 200));
    out = Buffer.from(out);
    out[at] = Math.floor(rnd() * 256);
  } else if (damage < 0.3)
    out = Buffer.concat([out.subarray(0, 60), Buffer.from(`\r\n--${BOUNDARY}\r\n`), out]);
  return out;
}

describe.each(dialects)("attachment uploads survive malformed bodies on $name", (dialect) => {
  let t: TestApp;
  let dataDir = "";
  let token = "";

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "verdict-att-fuzz-"));
    t = await startApp(dialect, {
      dataDir,
      env: {
        VERDICT_ATTACHMENT_MAX_FILE_MB: "1",
        VERDICT_ATTACHMENT_MAX_FILES: "3",
        VERDICT_STORAGE_QUOTA_MB: "4",
        // A stalled upload is refused after 1 s here (30 s by default).
        VERDICT_UPLOAD_IDLE_SECONDS: "1",
      },
    });
    const owner = await t.user("owner");
    await t.project("AF", owner);
    token = await t.token(owner);
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers 200 or a client error, and leaves no partial file", async () => {
    const wrong: string[] = [];
    const answers = new Map<number, number>();
    for (let seed = 1; seed <= SEEDS; seed++) {
      const rnd = random(seed * 4099);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T;
      const parts: Part[] = Array.from({ length: Math.floor(rnd() * 5) }, () => {
        const size = pick([0, 1, 100, 70_000, 1_100_000]);
        return {
          field: rnd() < 0.8 ? "file[]" : pick(FIELDS),
          name: rnd() < 0.9 ? pick(NAMES) : null,
          type: rnd() < 0.9 ? pick(TYPES) : null,
          content: Buffer.alloc(size, seed % 251),
        };
      });
      const payload = body(parts, rnd);
      const headers: Record<string, string> = {
        token,
        "content-type":
          rnd() < 0.9
            ? `multipart/form-data; boundary=${BOUNDARY}`
            : pick(["multipart/form-data", "text/plain"]),
      };
      const what = `seed ${seed} (${parts.map((p) => `${p.field}:${p.content.length}`).join(" ")}, ${payload.length} bytes)`;
      // A request that never answers is the worst outcome of all: give it 10 s, then report it.
      const res = await Promise.race([
        t.app.inject({ method: "POST", url: "/v1/attachment/AF", payload, headers }),
        new Promise<null>((resolve) => setTimeout(() => resolve(null), 10_000).unref()),
      ]);
      if (res === null) {
        wrong.push(`${what}: no answer in 10 s`);
        continue;
      }
      answers.set(res.statusCode, (answers.get(res.statusCode) ?? 0) + 1);
      const json = (() => {
        try {
          return JSON.parse(res.body) as { status?: boolean; errorMessage?: unknown };
        } catch {
          return null;
        }
      })();
      const fine =
        res.statusCode === 200
          ? json?.status === true
          : [400, 406, 413, 415, 422, 507].includes(res.statusCode) && typeof json?.errorMessage === "string";
      if (!fine) wrong.push(`${what} -> ${res.statusCode} ${res.body.slice(0, 200)}`);
      const left = filesUnder(path.join(dataDir, "attachments", "tmp"));
      if (left.length > 0) wrong.push(`${what}: left ${left.join(", ")} in tmp`);
      // Keep the quota from filling: uploads are deduplicated by content, so remove what was kept.
      if (res.statusCode === 200)
        for (const a of (JSON.parse(res.body) as { result: { hash: string }[] }).result)
          await t.app.inject({ method: "DELETE", url: `/v1/attachment/${a.hash}`, headers: { token } });
    }
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(answers.get(200) ?? 0).toBeGreaterThan(SEEDS / 10);
  });
});
