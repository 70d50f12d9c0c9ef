import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startApp, type TestApp } from "../helpers/app.js";
import { dialects } from "../helpers/stores.js";
import { verdict } from "./cli.js";

vi.setConfig({ testTimeout: 120_000 });

/**
 * A report is written by the code under test: it must not be able to make `verdict report` copy files
 * from outside its own directory (a CI runner's secrets) onto the server.
 */
describe.each(dialects)(
  "verdict report attachments stay inside the report's directory ($name)",
  (dialect) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "verdict-roots-"));
    const work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "verdict-roots-work-")));
    const reportDir = path.join(work, "report");
    const outside = path.join(work, "outside");
    let t: TestApp;
    let base = "";
    let token = "";

    beforeAll(async () => {
      t = await startApp(dialect, { dataDir });
      const owner = await t.user("owner");
      token = await t.token(owner);
      await t.project("AR", owner);
      await t.app.listen({ port: 0, host: "127.0.0.1" });
      base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;

      fs.mkdirSync(path.join(reportDir, "shots"), { recursive: true });
      fs.mkdirSync(outside);
      fs.writeFileSync(path.join(reportDir, "shots", "legit.txt"), "the screenshot");
      fs.writeFileSync(path.join(outside, "passwd"), "root:x:0:0");
      fs.writeFileSync(path.join(work, "tokens.env"), "AWS_SECRET=shh");
      fs.writeFileSync(path.join(outside, "linked.txt"), "reached through a link");
      fs.symlinkSync(path.join(outside, "linked.txt"), path.join(reportDir, "shots", "link.txt"));
      const test = (name: string, file: string) => ({
        name,
        status: "failed",
        duration: 1,
        attachments: [{ name: path.basename(file), contentType: "text/plain", path: file }],
      });
      const ctrf = {
        reportFormat: "CTRF",
        results: {
          tool: { name: "custom" },
          summary: { tests: 4, passed: 0, failed: 4, pending: 0, skipped: 0, other: 0, start: 1, stop: 2 },
          tests: [
            test("absolute", path.join(outside, "passwd")),
            test("dot-dot", "../tokens.env"),
            test("symlink", path.join(reportDir, "shots", "link.txt")),
            test("legit", "shots/legit.txt"),
          ],
        },
      };
      fs.writeFileSync(path.join(reportDir, "ctrf.json"), JSON.stringify(ctrf));
    });
    afterAll(async () => {
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(work, { recursive: true, force: true });
    });

    async function stored(): Promise<{ file: string; url: string }[]> {
      const res = await fetch(`${base}/v1/attachment?limit=100`, { headers: { Token: token } });
      expect(res.status).toBe(200);
      return ((await res.json()) as { result: { entities: { file: string; url: string }[] } }).result
        .entities;
    }

    const report = (...extra: string[]) =>
      verdict(
        [
          "report",
          path.join(reportDir, "ctrf.json"),
          "--server",
          base,
          "--project",
          "AR",
          "--json",
          ...extra,
        ],
        { VERDICT_TOKEN: token },
      );

    it("uploads only the file under the report's directory and names the skipped ones on stderr", async () => {
      const res = await report("--title", "confined");
      expect(res.stderr).not.toMatch(/^error:/m);
      expect(res.code).toBe(0);
      expect(JSON.parse(res.stdout)).toMatchObject({ sent: 4, attachments: 1 });
      const files = await stored();
      expect(files.map((a) => a.file)).toEqual(["legit.txt"]);
      const download = await fetch(files[0]?.url ?? "", { headers: { Token: token } });
      expect(await download.text()).toBe("the screenshot");
      expect(res.stderr).toContain(`${path.join(outside, "passwd")} is outside the report's directory`);
      expect(res.stderr).toContain("../tokens.env is outside the report's directory");
      expect(res.stderr).toContain(
        `${path.join(reportDir, "shots", "link.txt")} is outside the report's directory`,
      );
      expect(res.stderr).not.toMatch(/legit\.txt skipped/);
    });

    it("takes files from an --attachments-root directory too", async () => {
      const res = await report("--title", "with root", "--attachments-root", outside);
      expect(res.code).toBe(0);
      // The outside file and the link into that directory now count; ../tokens.env (in neither) still not.
      expect(JSON.parse(res.stdout)).toMatchObject({ sent: 4, attachments: 3 });
      expect((await stored()).map((a) => a.file).sort()).toEqual(
        ["legit.txt", "legit.txt", "link.txt", "passwd"].sort(),
      );
      expect(res.stderr).toContain("../tokens.env is outside the report's directory");
      expect(res.stderr).not.toContain("passwd is outside");
    });

    it("refuses an --attachments-root that is not a directory (exit 2)", async () => {
      const res = await report("--title", "bad root", "--attachments-root", path.join(work, "nope"));
      expect(res.code).toBe(2);
      expect(res.stderr).toContain("is not a directory");
    });
  },
);
