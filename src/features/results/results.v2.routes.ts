import type { AppContext } from "../../context.js";
import { ok, StatusOnlySchema } from "../../http/envelope.js";
import { type ErrorField, fail } from "../../http/errors.js";
import { principalOf, projectOf } from "../../http/security.js";
import type { App } from "../../http/types.js";
import { fromV2, fromV2Batch } from "./results.incoming.js";
import { ingestResults, reporterOf } from "./results.ingest.js";
import { CreateResponse, V2BulkBody, V2ResultCreate, V2RunParams } from "./results.schemas.js";

/** Qase answers an empty `testops_ids` list with 400, not 422. */
function refuseEmptyTestopsIds(results: { testops_ids?: number[] | null | undefined }[], prefix: string) {
  const i = results.findIndex((r) => r.testops_ids?.length === 0);
  if (i >= 0) throw fail.badRequest(`${prefix}${i}.testops_ids is empty: omit it or name a case`);
}

/** Qase API v2 results: what the official reporters send. Both answer 202 as Qase does. */
export async function resultV2Routes(app: App, ctx: AppContext) {
  app.post(
    "/v2/:project_code/run/:run_id/results",
    {
      config: { access: "result.create" },
      schema: { params: V2RunParams, body: V2BulkBody, response: { 202: StatusOnlySchema } },
    },
    async (req, reply) => {
      refuseEmptyTestopsIds(req.body.results, "results.");
      const errors: ErrorField[] = [];
      const batch = fromV2Batch(req.body.results, "results.", errors);
      if (batch.tooLarge) throw fail.tooLarge(batch.tooLarge);
      if (errors.length > 0) throw fail.invalidMany(errors);
      await ingestResults(ctx, principalOf(req), projectOf(req), req.params.run_id, batch.results, {
        client: reporterOf(req.headers["x-client"] as string | undefined),
      });
      return reply.code(202).send({ status: true });
    },
  );

  app.post(
    "/v2/:project_code/run/:run_id/result",
    {
      config: { access: "result.create" },
      schema: { params: V2RunParams, body: V2ResultCreate, response: { 202: CreateResponse } },
    },
    async (req, reply) => {
      if (req.body.testops_ids?.length === 0)
        throw fail.badRequest("testops_ids is empty: omit it or name a case");
      const errors: ErrorField[] = [];
      const incoming = fromV2(req.body, "", errors);
      if (errors.length > 0) throw fail.invalidMany(errors);
      const [stored] = await ingestResults(
        ctx,
        principalOf(req),
        projectOf(req),
        req.params.run_id,
        [incoming],
        {
          client: reporterOf(req.headers["x-client"] as string | undefined),
        },
      );
      return reply.code(202).send(ok({ case_id: stored?.caseId ?? null, hash: stored?.hash ?? "" }));
    },
  );
}
