import { ApiError } from "../../http/errors.js";

/** A problem in a QQL query at a 1-based character position; the service turns it into a 400. */
export class QqlError extends Error {
  constructor(
    readonly pos: number,
    readonly problem: string,
  ) {
    super(`Query is invalid at position ${pos}: ${problem}`);
  }
}

export function queryError(err: QqlError): ApiError {
  return new ApiError("bad_request", err.message, [{ field: "query", error: err.message }]);
}
