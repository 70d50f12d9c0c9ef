import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import FormData from "form-data";
import { type AttachmentGet, AttachmentsApi, Configuration } from "qase-api-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCaller } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { missing, statusOf } from "./helpers/client.js";
import { filesUnder } from "./helpers/files.js";
import { dialects } from "./helpers/stores.js";

/** Every key of the client's AttachmentGet (a key the client adds breaks compilation). */
const ATTACHMENT_GET_KEYS: Record<keyof AttachmentGet, true> = {
  hash: true,
  file: true,
  mime: true,
  size: true,
  extension: true,
  full_path: true,
  url: true,
};

interface Part {
  filename: string;
  type: string;
  content: Buffer;
}

/** A multipart body with repeated `file[]` fields, as the reporters and qasectl send it. */
function multipart(files: Part[]) {
  const boundary = `----verdict${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file[]"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`,
      ),
      f.content,
      Buffer.from("\r\n"),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  };
}

/** The boundary of the hand-written bodies below. */
const RAW = "----verdictraw";

describe.each(dialects)("attachments on $name", (dialect) => {
  let t: TestApp;
  let dataDir = "";
  let token = "";
  let strangerToken = "";
  const call = apiCaller(
    () => t.app,
    () => token,
  );

  async function upload(files: Part[], secret = token) {
    const body = multipart(files);
    const res = await t.app.inject({
      method: "POST",
      url: "/v1/attachment/AT",
      payload: body.payload,
      headers: { ...body.headers, token: secret },
    });
    return { status: res.statusCode, body: res.json() };
  }
  const blobs = () => filesUnder(path.join(dataDir, "attachments", "blobs"));
  const temps = () => filesUnder(path.join(dataDir, "attachments", "tmp"));

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "verdict-att-"));
    t = await startApp(dialect, {
      dataDir,
      env: {
        VERDICT_ATTACHMENT_MAX_FILE_MB: "1",
        VERDICT_ATTACHMENT_MAX_FILES: "3",
        VERDICT_STORAGE_QUOTA_MB: "3",
        VERDICT_UPLOAD_IDLE_SECONDS: "1",
      },
    });
    const owner = await t.user("owner");
    await t.project("AT", owner, "none");
    token = await t.token(owner);
    strangerToken = await t.token(await t.user("member"));
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("stores several files per request, answers their hashes in upload order and keeps one copy of equal content", async () => {
    const before = blobs().length;
    const r = await upload([
      { filename: "log.txt", type: "text/plain", content: Buffer.from("alpha") },
      { filename: "shot.png", type: "image/png", content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]) },
      { filename: "copy.txt", type: "text/plain", content: Buffer.from("alpha") },
    ]);
    expect(r.status).toBe(200);
    const result = r.body.result as Array<Record<string, unknown>>;
    expect(result.map((a) => a.filename)).toEqual(["log.txt", "shot.png", "copy.txt"]);
    for (const a of result) {
      expect(Object.keys(a).sort()).toEqual(["extension", "filename", "hash", "mime", "team", "url"]);
      expect(a.url).toBe(`${String(a.url).split("/v1/")[0]}/v1/attachment/${a.hash}/download`);
    }
    expect(new Set(result.map((a) => a.hash)).size).toBe(3);
    expect(blobs().length).toBe(before + 2);
    expect(temps()).toEqual([]);

    const read = await call("GET", `/v1/attachment/${result[1]?.hash}`);
    expect(read.body.result).toMatchObject({
      file: "shot.png",
      mime: "image/png",
      size: 7,
      extension: "png",
    });
    const listed = await call("GET", "/v1/attachment?limit=100");
    expect(listed.body.result.entities.map((a: { hash: string }) => a.hash)).toEqual(
      expect.arrayContaining(result.map((a) => a.hash)),
    );
  });

  it("serves the bytes with safe headers: HTML never renders inline", async () => {
    const html = "<script>alert(1)</script>";
    const [a] = (await upload([{ filename: "page.html", type: "text/html", content: Buffer.from(html) }]))
      .body.result;
    const res = await t.app.inject({
      method: "GET",
      url: `/v1/attachment/${a.hash}/download`,
      headers: { token },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(html);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(String(res.headers["content-disposition"])).toMatch(/^attachment;/);
    expect(String(res.headers["content-security-policy"])).toContain("sandbox");
    const again = await t.app.inject({
      method: "GET",
      url: `/v1/attachment/${a.hash}/download`,
      headers: { token, "if-none-match": String(res.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
  });

  it("refuses a file over the limit or too many files with 413, leaving nothing on disk", async () => {
    const before = blobs().length;
    const big = await upload([
      { filename: "ok.txt", type: "text/plain", content: Buffer.from("fine") },
      { filename: "big.bin", type: "application/octet-stream", content: Buffer.alloc(1024 * 1024 + 10, 7) },
    ]);
    expect(big.status).toBe(413);
    const many = await upload(
      [1, 2, 3, 4].map((i) => ({ filename: `${i}.txt`, type: "text/plain", content: Buffer.from(`n${i}`) })),
    );
    expect(many.status).toBe(413);
    expect(blobs().length).toBe(before);
    expect(temps()).toEqual([]);
  });

  it("refuses bodies cut short, without a boundary or that stall the parser with 400, never hanging", async () => {
    const raw = async (payload: Buffer, contentType = `multipart/form-data; boundary=${RAW}`) => {
      const res = await t.app.inject({
        method: "POST",
        url: "/v1/attachment/AT",
        payload,
        headers: { token, "content-type": contentType },
      });
      return { status: res.statusCode, message: (res.json() as { errorMessage: string }).errorMessage };
    };
    const head = (field: string, header = "Content-Disposition: form-data") =>
      Buffer.from(
        `--${RAW}\r\n${header}; name="${field}"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n`,
      );
    // Cut inside a file, small (its part is over before anyone reads it) or large.
    for (const size of [100, 70_000])
      expect(await raw(Buffer.concat([head("file[]"), Buffer.alloc(size, 97)]))).toEqual({
        status: 400,
        message: expect.stringMatching(/incomplete or malformed/),
      });
    expect((await raw(head("file[]"), "multipart/form-data")).status).toBe(400);
    // A part whose header the parser cannot read, the body in one chunk: the parser never ends; the
    // upload is refused once it has made no progress for VERDICT_UPLOAD_IDLE_SECONDS.
    const stalled = Buffer.concat([
      Buffer.from(`--${RAW}\r\nContent-Disposition: form-data; name="note"\r\n\r\nx\r\n`),
      head("file[]", "Content-Disposition\u0012 form-data"),
      Buffer.alloc(70_000, 97),
      Buffer.from(`\r\n--${RAW}--\r\n`),
    ]);
    expect(await raw(stalled)).toEqual({
      status: 400,
      message: expect.stringMatching(/no progress for 1 s/),
    });
    expect(temps()).toEqual([]);
  });

  it("answers 507 when the workspace quota is full, storing nothing", async () => {
    const before = blobs().length;
    const chunk = (n: number) => ({
      filename: `q${n}.bin`,
      type: "application/octet-stream",
      content: Buffer.alloc(900 * 1024, n),
    });
    const r = await upload([chunk(1), chunk(2), chunk(3)]);
    expect(r.status).toBe(200);
    const full = await upload([chunk(4), chunk(5)]);
    expect(full.status).toBe(507);
    expect(blobs().length).toBe(before + 3);
    expect(temps()).toEqual([]);
    // Deleting frees the space (the last reference takes the file with it).
    for (const a of r.body.result)
      expect((await call("DELETE", `/v1/attachment/${a.hash}`)).status).toBe(200);
    expect(blobs().length).toBe(before);
    expect((await upload([chunk(4)])).status).toBe(200);
  });

  it("hides attachments of projects the caller cannot see (404), and answers 410 once deleted", async () => {
    const [a] = (
      await upload([{ filename: "secret.txt", type: "text/plain", content: Buffer.from("s3cr3t") }])
    ).body.result;
    expect((await call("GET", `/v1/attachment/${a.hash}`, undefined, strangerToken)).status).toBe(404);
    expect((await call("GET", `/v1/attachment/${a.hash}/download`, undefined, strangerToken)).status).toBe(
      404,
    );
    expect((await call("DELETE", `/v1/attachment/${a.hash}`, undefined, strangerToken)).status).toBe(404);
    const listed = await call("GET", "/v1/attachment?limit=100", undefined, strangerToken);
    expect(listed.body.result.entities.map((x: { hash: string }) => x.hash)).not.toContain(a.hash);
    // The project is known to every member, so its own routes answer 403, as all project routes do.
    expect(
      (await upload([{ filename: "x.txt", type: "text/plain", content: Buffer.from("x") }], strangerToken))
        .status,
    ).toBe(403);

    expect((await call("DELETE", `/v1/attachment/${a.hash}`)).body).toEqual({
      status: true,
      result: { hash: a.hash },
    });
    expect((await call("GET", `/v1/attachment/${a.hash}`)).status).toBe(410);
    expect((await call("GET", `/v1/attachment/${"f".repeat(40)}`)).status).toBe(404);
  });

  it("takes uploads from qase-api-client's AttachmentsApi, as the reporters send them", async () => {
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = t.app.server.address() as AddressInfo;
    const api = new AttachmentsApi(
      new Configuration({
        apiKey: token,
        basePath: `http://127.0.0.1:${port}/v1`,
        // The reporters pass the form-data package, as qase-javascript-commons does.
        formDataCtor: FormData,
      }),
    );
    const res = await api.uploadAttachment("AT", [
      { name: "trace.txt", value: Buffer.from("trace body") },
      { name: "second.json", value: Buffer.from('{"a":1}') },
    ]);
    expect(res.data.result?.map((a) => a.filename)).toEqual(["trace.txt", "second.json"]);
    const hash = res.data.result?.[0]?.hash as string;
    const got = await api.getAttachment(hash);
    expect(got.data.result).toMatchObject({ file: "trace.txt", size: 10 });
    const download = await t.app.inject({
      method: "GET",
      url: new URL(String(got.data.result?.url)).pathname,
      headers: { token },
    });
    expect(download.body).toBe("trace body");

    const listed = (await api.getAttachments(100, 0)).data.result;
    const mine = listed?.entities?.filter((a) => a.hash === hash) ?? [];
    expect(mine).toHaveLength(1);
    expect(missing(ATTACHMENT_GET_KEYS, mine[0])).toEqual([]);
    expect(mine[0]).toMatchObject({ file: "trace.txt", size: 10, mime: "text/plain" });
    expect(listed?.total).toBeGreaterThanOrEqual(2);
    expect((await api.deleteAttachment(hash)).data.result?.hash).toBe(hash);
    expect(await statusOf(api.getAttachment(hash))).toBe(410);
    expect((await api.getAttachments(100, 0)).data.result?.entities?.map((a) => a.hash)).not.toContain(hash);
  });

  it("shows the attachments of cases, their steps and defects as Qase's Attachment", async () => {
    const [a, b] = (
      await upload([
        { filename: "spec.pdf", type: "application/pdf", content: Buffer.from("%PDF-1.4") },
        { filename: "step.png", type: "image/png", content: Buffer.from([0x89, 0x50, 9, 9]) },
      ])
    ).body.result;
    const caseId = (
      await call("POST", "/v1/case/AT", {
        title: "with files",
        attachments: [a.hash],
        steps: [{ action: "look", attachments: [b.hash] }],
      })
    ).body.result.id;
    const kase = (await call("GET", `/v1/case/AT/${caseId}`)).body.result;
    expect(kase.attachments).toEqual([
      {
        hash: a.hash,
        filename: "spec.pdf",
        mime: "application/pdf",
        size: 8,
        url: expect.stringContaining(`/v1/attachment/${a.hash}/download`),
      },
    ]);
    expect(kase.steps[0].attachments[0]).toMatchObject({ hash: b.hash, filename: "step.png", size: 4 });
    const listed = (await call("GET", "/v1/case/AT?limit=100")).body.result.entities;
    expect(listed.find((c: { id: number }) => c.id === caseId).attachments[0]).toMatchObject({
      filename: "spec.pdf",
    });
    const defectId = (
      await call("POST", "/v1/defect/AT", {
        title: "d",
        actual_result: "r",
        severity: 1,
        attachments: [a.hash],
      })
    ).body.result.id;
    expect((await call("GET", `/v1/defect/AT/${defectId}`)).body.result.attachments).toEqual([
      expect.objectContaining({ hash: a.hash, filename: "spec.pdf", mime: "application/pdf", size: 8 }),
    ]);
  });
});
