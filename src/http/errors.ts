import { fieldsSummary } from "./plain-errors.js";

/** One error type for the whole server: a stable code, one HTTP status, Qase's error body. */
export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  gone: 410,
  payload_too_large: 413,
  validation: 422,
  rate_limited: 429,
  internal: 500,
  maintenance: 503,
  insufficient_storage: 507,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorField {
  field: string;
  error: string;
}

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: ErrorField[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}

export interface ErrorBody {
  status: false;
  errorMessage: string;
  errorFields: ErrorField[];
}

export function errorBody(message: string, fields: ErrorField[] = []): ErrorBody {
  return { status: false, errorMessage: message, errorFields: fields };
}

/** The one message for every authentication failure, so a caller learns nothing about why. */
export const UNAUTHORIZED_MESSAGE = "Unauthorized: the API token is missing, invalid, expired or revoked.";

export const fail = {
  badRequest: (message: string) => new ApiError("bad_request", message),
  unauthorized: () => new ApiError("unauthorized", UNAUTHORIZED_MESSAGE),
  forbidden: (message: string) => new ApiError("forbidden", message),
  notFound: (what: string) => new ApiError("not_found", `${what} not found`),
  gone: (what: string) => new ApiError("gone", `${what} has been deleted`),
  tooLarge: (message: string) => new ApiError("payload_too_large", message),
  invalid: (field: string, error: string) =>
    new ApiError("validation", `Invalid ${field}: ${error}`, [{ field, error }]),
  invalidMany: (fields: ErrorField[]) => new ApiError("validation", fieldsSummary(fields), fields),
};
