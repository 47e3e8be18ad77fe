// What an AppError (src/errors.ts) means to an HTTP client: its code decides the status, and the body has one shape.
import type { AppError, ErrorCode } from '../errors.js';

const STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  already_sent: 409,
  suppressed: 409,
  unprocessable: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
};

export function httpStatus(code: ErrorCode): number {
  return STATUS[code];
}

export function errorBody(error: AppError) {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.issues ? { issues: error.issues } : {}),
      ...error.details,
    },
  };
}
