import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";

/** The web app's client-side routes, read from its router, as patterns. */
const WEB_ROUTES = [...fs.readFileSync("web/src/App.tsx", "utf8").matchAll(/<Route path="([^"*]+)"/g)].map(
  (m) => new RegExp(`^${(m[1] ?? "").replace(/:\w+/g, "[^/]+")}$`),
);

/** Qase's public paths as its reporters and people print them, and the page each should land on. */
const LINKS: [string, string][] = [
  // qase-javascript-commons prints this at the end of a run, and with ?search=CODE-ID for a failed test.
  ["/run/QL/dashboard/7", "/projects/QL/runs/7"],
  ["/run/QL/dashboard/7?source=logs&search=QL-3", "/projects/QL/runs/7"],
  ["/run/QL", "/projects/QL/runs"],
  ["/project/QL", "/projects/QL"],
  ["/case/QL-3", "/projects/QL/cases/3"],
  ["/plan/QL", "/projects/QL/plans"],
  ["/defect/QL", "/projects/QL/defects"],
  ["/defect/QL/5", "/projects/QL/defects"],
];

describe.each(dialects)("Qase's public web paths on $name", (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp(dialect);
  });
  afterAll(() => t.close());

  it("redirects each, without signing in, to a page the web app has", async () => {
    expect(WEB_ROUTES.length).toBeGreaterThan(10);
    for (const [from, to] of LINKS) {
      const res = await t.app.inject({ method: "GET", url: from });
      expect([from, res.statusCode, res.headers.location]).toEqual([from, 302, to]);
      expect(WEB_ROUTES.some((r) => r.test(to))).toBe(true);
      // The server serves the page (or says the web app is not built here), not "no such route".
      const page = await t.app.inject({ method: "GET", url: to });
      if (page.statusCode !== 200) expect(page.json().errorMessage).toMatch(/web app is not built/);
    }
  });

  it("answers 404 for paths that name no page", async () => {
    for (const url of ["/run/QL/dashboard/x", "/case/QL", "/case/QL-x", "/project/a-b", "/defect/QL/x"]) {
      const res = await t.app.inject({ method: "GET", url });
      expect([url, res.statusCode]).toEqual([url, 404]);
    }
  });
});
