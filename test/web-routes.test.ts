import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEB_ROOT } from "../src/features/web/web.routes.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";

const built = fs.existsSync(path.join(WEB_ROOT, "index.html"));

/** Every path the web app's router defines (web/src/App.tsx), with sample values for its parameters. */
function routerPaths(): string[] {
  const app = fs.readFileSync(path.resolve("web/src/App.tsx"), "utf8");
  const paths = [...app.matchAll(/<Route\s+path="([^"]+)"/g)].map((m) => m[1] ?? "");
  return paths.filter((p) => p !== "*").map((p) => p.replace(/:code\b/g, "SHOP").replace(/:[a-z]+/g, "7"));
}

describe.each(dialects)("web routes on a fresh load ($name)", (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp(dialect);
  });
  afterAll(() => t.close());

  const pages = routerPaths();

  it("reads the router's paths", () => {
    expect(pages).toContain("/search");
    expect(pages).toContain("/projects/SHOP/runs/7");
    expect(pages.length).toBeGreaterThan(20);
  });

  it.each(pages)("GET %s with Accept: text/html serves the app", async (url) => {
    for (const suffix of ["", "?query=checkout"]) {
      const res = await t.app.inject({ method: "GET", url: url + suffix, headers: { accept: "text/html" } });
      if (built) {
        expect(res.statusCode, res.body).toBe(200);
        expect(res.headers["content-type"]).toMatch(/^text\/html/);
        expect(res.body).toContain('<div id="root">');
      } else {
        // Without a build the page route still answers, saying so, rather than "No such endpoint".
        expect(res.json()).toMatchObject({ errorMessage: expect.stringContaining("not built") });
      }
    }
  });

  it("an unknown API path stays a JSON 404", async () => {
    for (const url of ["/v1/nothing-here", "/v1/search/extra", "/v2/nothing"]) {
      const res = await t.app.inject({ method: "GET", url, headers: { accept: "text/html" } });
      expect(res.statusCode).toBe(404);
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      expect(res.json()).toMatchObject({
        status: false,
        errorMessage: expect.stringContaining("No such endpoint"),
      });
    }
  });

  it("answers /favicon.ico with the app's icon, so no page logs a 404 for it", async () => {
    const ico = await t.app.inject({ method: "GET", url: "/favicon.ico" });
    expect(ico.statusCode).toBe(301);
    expect(ico.headers.location).toBe("/favicon.svg");
    const svg = await t.app.inject({ method: "GET", url: "/favicon.svg" });
    if (built) {
      expect(svg.statusCode).toBe(200);
      expect(svg.headers["content-type"]).toMatch(/^image\/svg\+xml/);
      expect(svg.body).toContain("<svg");
    } else expect(svg.json()).toMatchObject({ errorMessage: expect.stringContaining("not built") });
  });
});
