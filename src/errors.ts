// The one error type stores, services and routes throw: a refusal named by its code, with a message
// for people. What a code means to an HTTP client (its status, the body) is src/http's to say.
import { z } from 'zod';

export const ErrorCode = z.enum([
  'invalid_input',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'already_sent',
  'suppressed',
  'unprocessable',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export interface Issue {
  path: string;
  message: string;
}

export class AppError extends Error {
  override name = 'AppError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: Issue[],
    /** More for the client to act on, e.g. the pre-send findings that block a send. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  static invalid(issues: Issue[]): AppError {
    const message = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
    return new AppError('invalid_input', message, issues);
  }

  /** An unknown field is named by its own path; other issues about the value as a whole are named `root`. */
  static fromZod(error: z.ZodError, root = 'body'): AppError {
    return AppError.invalid(
      error.issues.flatMap((issue) =>
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: 'is not a known field' }))
          : [{ path: formatPath(issue.path) || root, message: issue.message }],
      ),
    );
  }
}

/** ["blocks", 3, "button", "href"] → "blocks[3].button.href" */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out ? `${out}.${String(key)}` : String(key);
  }, '');
}
