import { z } from 'zod';

/** Stable error codes. Clients switch on these; HTTP status is derived, never chosen ad hoc. */
export const errorCodeSchema = z.enum([
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'rate_limited',
  'internal',
  'unavailable',
]);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const statusByCode = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const satisfies Record<ErrorCode, number>;

/** Every error response body; its OpenAPI description is `ErrorResponse` in schemas.ts. */
export interface ErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly requestId: string;
    /** Line-numbered problems, when the error is about a submitted text (a draft document or policy). */
    readonly details?: readonly ErrorDetail[];
  };
}

export interface ErrorDetail {
  readonly line: number;
  readonly message: string;
}

/** An error the API reports as is: the caller is at fault or the service says why it cannot serve. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly details: readonly ErrorDetail[] = [],
  ) {
    super(message);
  }

  get status(): (typeof statusByCode)[ErrorCode] {
    return statusByCode[this.code];
  }
}

export function errorBody(
  code: ErrorCode,
  message: string,
  requestId: string,
  details: readonly ErrorDetail[] = [],
): ErrorBody {
  return { error: { code, message, requestId, ...(details.length > 0 && { details: [...details] }) } };
}
