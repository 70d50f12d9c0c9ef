// Qase's OpenAPI specs (qase-tms/specs, split into many YAML files) as ajv validators of response bodies.
import fs from "node:fs";
import path from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import YAML from "yaml";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

export interface SpecOperation {
  version: "v1" | "v2";
  id: string;
  method: string;
  /** The path under /v1 or /v2, e.g. `/case/{code}/{id}`. */
  path: string;
  statuses: string[];
  /** The JSON schema of the body for a status, or undefined where the spec declares none. */
  validator(status: number): ValidateFunction | undefined;
}

const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * OpenAPI 3.0 schema to JSON Schema: `nullable` becomes a null alternative, and file `$ref`s become absolute
 * ids of schemas registered with ajv (so recursive schemas stay references).
 */
function convert(node: Json, file: string, refs: Set<string>): Json {
  if (Array.isArray(node)) return node.map((n) => convert(n, file, refs));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "$ref" && typeof v === "string") {
      const target = path.resolve(path.dirname(file), v);
      refs.add(target);
      out[k] = `file://${target}`;
    } else if (k !== "nullable" && k !== "example" && k !== "discriminator") out[k] = convert(v, file, refs);
  }
  if (node.nullable !== true) return out;
  if (typeof out.type === "string") {
    out.type = [out.type, "null"];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: "null" }] };
}

/** The spec's operations, for both API versions, read from `dir` (the specs repository's layout). */
export function loadQaseSpecs(dir: string): SpecOperation[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  for (const f of ["int32", "int64", "float", "double", "binary", "byte"]) ajv.addFormat(f, true);
  const loaded = new Set<string>();
  const parse = (file: string) => YAML.parse(fs.readFileSync(file, "utf8")) as Json;
  const register = (refs: Set<string>) => {
    for (const file of refs) {
      if (loaded.has(file)) continue;
      loaded.add(file);
      const more = new Set<string>();
      ajv.addSchema(convert(parse(file), file, more) as JsonObject, `file://${file}`);
      register(more);
    }
  };

  const ops: SpecOperation[] = [];
  for (const version of ["v1", "v2"] as const) {
    const root = path.join(dir, "testops-api", version);
    const src = parse(path.join(root, "src.yaml"));
    const paths = isObject(src) && isObject(src.paths) ? src.paths : {};
    for (const [p, item] of Object.entries(paths)) {
      const file = path.resolve(root, isObject(item) ? String(item.$ref) : "");
      const methods = parse(file);
      if (!isObject(methods)) continue;
      for (const [method, op] of Object.entries(methods)) {
        if (!isObject(op) || typeof op.operationId !== "string" || !isObject(op.responses)) continue;
        const responses = op.responses;
        const cache = new Map<number, ValidateFunction | undefined>();
        ops.push({
          version,
          id: op.operationId,
          method: method.toUpperCase(),
          path: p,
          statuses: Object.keys(responses),
          validator(status) {
            if (cache.has(status)) return cache.get(status);
            const r = responses[String(status)];
            const content = isObject(r) && isObject(r.content) ? r.content["application/json"] : undefined;
            const schema = isObject(content) ? content.schema : undefined;
            let fn: ValidateFunction | undefined;
            if (schema !== undefined) {
              const refs = new Set<string>();
              const converted = convert(schema, file, refs) as JsonObject;
              register(refs);
              fn = ajv.compile(converted);
            }
            cache.set(status, fn);
            return fn;
          },
        });
      }
    }
  }
  return ops;
}
