import { Ajv, type Options } from "ajv";
import addFormats from "ajv-formats";
import type { FastifySchema, FastifySchemaCompiler } from "fastify";

const common: Options = { allErrors: true, useDefaults: true, removeAdditional: false, strict: false };

/**
 * Query strings, params and headers arrive as text, so they are coerced ("5" -> 5, "a" -> ["a"]).
 * JSON bodies are not: coercion would turn `null` into `""` or `0` inside unions and change meaning
 * (an explicit `"projects": null` must stay null).
 */
const textParts = addFormats.default(new Ajv({ ...common, coerceTypes: "array" }));
const jsonBody = addFormats.default(new Ajv({ ...common, coerceTypes: false }));

export const validatorCompiler: FastifySchemaCompiler<FastifySchema> = ({ schema, httpPart }) =>
  (httpPart === "body" ? jsonBody : textParts).compile(schema as object) as ReturnType<
    FastifySchemaCompiler<FastifySchema>
  >;
