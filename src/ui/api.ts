// The one way the web app talks to the server: JSON over /api with the session cookie, and the
// CSRF token on every request that changes something.

export interface Issue {
  path: string;
  message: string;
}

/** An answer other than 2xx, with the server's code, message and the fields it names. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: Issue[] = [],
    readonly body: unknown = undefined,
  ) {
    super(message);
  }

  /** The message for one field (by its path in the request body), if the server named it. */
  issueFor(path: string): string | undefined {
    return this.issues.find((issue) => issue.path === path)?.message;
  }
}

let csrfToken: string | null = null;

/** Set by the session on sign-in; sent as X-CSRF-Token on every request that changes something. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  /** A raw body (CSV) instead of JSON. */
  raw?: { body: BodyInit; contentType: string };
  /** More request headers, e.g. If-Match. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Outlives the page: for a last word as it closes (the composer leaving a bulletin). */
  keepalive?: boolean;
}

export async function api<T = unknown>(
  method: Method,
  path: string,
  json?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { ...options.headers, accept: 'application/json' };
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let body: BodyInit | undefined;
  if (options.raw) {
    headers['content-type'] = options.raw.contentType;
    body = options.raw.body;
  } else if (json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(json);
  }
  const response = await fetch(path, {
    method,
    headers,
    body,
    credentials: 'same-origin',
    signal: options.signal,
    keepalive: options.keepalive,
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const data: unknown = text && (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
  if (!response.ok) throw toApiError(response.status, data);
  return data as T;
}

/**
 * POSTs a file as it is (a CSV import, with its `contentType`) or a form with files in it (an
 * image, multipart: the browser writes the content type with its boundary), reporting the share
 * sent so far: fetch cannot tell how much of a request body has gone, XMLHttpRequest can.
 */
export function upload<T>(
  path: string,
  body: Blob | FormData,
  contentType: string | undefined,
  onProgress: (fraction: number) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('accept', 'application/json');
    if (contentType) xhr.setRequestHeader('content-type', contentType);
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      const json = (xhr.getResponseHeader('content-type') ?? '').includes('json') && xhr.responseText;
      const data: unknown = json ? JSON.parse(xhr.responseText) : xhr.responseText;
      if (xhr.status >= 200 && xhr.status < 300) resolve(data as T);
      else reject(toApiError(xhr.status, data));
    };
    // Same error as a failed fetch, so errorMessage() reads it the same way.
    xhr.onerror = () => reject(new TypeError('network error'));
    xhr.send(body);
  });
}

function toApiError(status: number, data: unknown): ApiError {
  const error = (data as { error?: { code?: string; message?: string; issues?: Issue[] } } | null)?.error;
  if (error)
    return new ApiError(status, error.code ?? 'error', error.message ?? `HTTP ${status}`, error.issues ?? [], data);
  return new ApiError(
    status,
    'error',
    status >= 500 ? 'The server had a problem; try again in a moment.' : `HTTP ${status}`,
    [],
    data,
  );
}

/** A readable sentence for any error a call can throw. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return 'The server cannot be reached. Check your connection and try again.';
  return error instanceof Error ? error.message : String(error);
}
