// Declares API routes once: the same declaration validates input, checks the role, runs the
// handler and describes the route in the OpenAPI document.
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { roleAtLeast, STAFF_ROLES, type StaffRole } from '../db/schema.js';
import { AppError } from '../errors.js';

/** Who is asking: a script with an API token, or a person signed in from a browser. */
export type Auth =
  | { kind: 'token'; tokenId: number; name: string; role: StaffRole }
  | {
      kind: 'session';
      staffId: number;
      email: string;
      role: StaffRole /** To keep this session when the person's others end. */;
      sessionToken: string;
    };

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  auth: Auth;
  req: Request;
  res: Response;
}

/** A route as declared: `R` is what its response schema gives, and what the handler must return. */
export interface RouteSpec<P = unknown, Q = unknown, B = unknown, R = unknown> {
  method: Method;
  /** Express path under /api, e.g. "/subscribers/:id". */
  path: string;
  summary: string;
  tag: string;
  /** The least role the token or the signed-in person needs (writer < editor < admin). */
  role: StaffRole;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** The JSON answer: the handler's return type, the OpenAPI document's schema, what the contract test checks. */
  response?: z.ZodType<R>;
  /**
   * Request and response content types other than JSON (CSV routes read and write the stream
   * themselves). A route with a `body` schema as well takes JSON too.
   */
  requestContentType?: string;
  responseContentType?: string;
  /** The files a multipart/form-data body carries (field → what it is), for the OpenAPI document. */
  formFiles?: Record<string, string>;
  /** Status of a successful answer; 204 sends no body. */
  status?: number;
  /** Request headers the handler reads (name → what it means), for the OpenAPI document. */
  headers?: Record<string, string>;
  /** Refusals beyond the usual 400, 401 and 403 (status → when, what the body holds), for the OpenAPI document. */
  errors?: Record<number, string>;
  /** Returns the JSON body, or undefined when it wrote the response itself (CSV, events) or there is none (204). */
  handler(input: RouteInput<P, Q, B>): Promise<NoInfer<R> | undefined>;
}

/**
 * R comes from the response schema alone (NoInfer keeps the handler from widening it), so a
 * handler that returns another shape does not compile; without a schema R is void: no JSON body.
 */
export function defineRoute<P = unknown, Q = unknown, B = unknown, R = void>(spec: RouteSpec<P, Q, B, R>): RouteSpec {
  return spec as RouteSpec;
}

export function mountRoutes(router: Router, routes: readonly RouteSpec[]): void {
  for (const route of routes) {
    router[route.method](route.path, async (req, res) => {
      const auth = res.locals.auth as Auth;
      requireRole(auth, route.role);
      const input: RouteInput<unknown, unknown, unknown> = {
        params: parse(route.params, req.params, 'params'),
        query: parse(route.query, req.query, 'query'),
        // A route may take JSON as well as its own content type, which its handler reads itself.
        body:
          route.requestContentType && req.is(route.requestContentType)
            ? undefined
            : parse(route.body, req.body, 'body'),
        auth,
        req,
        res,
      };
      const result = await route.handler(input);
      if (res.headersSent) return;
      const status = route.status ?? 200;
      if (status === 204) res.status(204).end();
      else res.status(status).json(result);
    });
  }
}

/** Path parameters and query strings are named by their own key; body fields by their path in the body. */
function parse(schema: z.ZodType | undefined, value: unknown, where: 'params' | 'query' | 'body'): unknown {
  if (!schema) return undefined;
  if (where === 'body' && value === undefined) {
    throw AppError.invalid([{ path: 'body', message: 'must be a JSON document (Content-Type: application/json)' }]);
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw AppError.fromZod(result.error, where);
}

/**
 * The largest row id: every id column is an `integer`, on PostgreSQL a 4-byte one, which refuses a
 * larger number with an error where it should simply find no row.
 */
export const MAX_ID = 2_147_483_647;

const idChecks = <T extends z.ZodNumber | z.ZodCoercedNumber>(number: T): T =>
  number
    .int('must be a positive integer')
    .positive('must be a positive integer')
    .max(MAX_ID, `must be at most ${MAX_ID.toLocaleString('en')}`) as T;

/** A row id in a JSON body. */
export const Id = idChecks(z.number());
/** A row id in a path or a query string, where it comes as text. */
export const IdText = idChecks(z.coerce.number());

export const idParams = z.object({ id: IdText });

/** The API's description; `sessionCookie` names the cookie a signed-in browser sends. */
export function openApiDocument(
  routes: readonly RouteSpec[],
  info: { title: string; version: string },
  sessionCookie: string,
) {
  const paths: Record<string, Record<string, unknown>> = {};
  const errorBody = {
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  };
  for (const route of routes) {
    const path = `/api${route.path.replace(/:(\w+)/g, '{$1}')}`;
    const parameters = [
      ...objectParameters(route.params, 'path'),
      ...objectParameters(route.query, 'query'),
      ...Object.entries(route.headers ?? {}).map(([name, description]) => ({
        name,
        in: 'header',
        required: false,
        description,
        schema: { type: 'string' },
      })),
    ];
    const operation: Record<string, unknown> = {
      summary: route.summary,
      tags: [route.tag],
      description:
        `Needs the role ${rolesFrom(route.role)}: an API token, ` +
        `or a session cookie${route.method === 'get' ? '' : ' with the X-CSRF-Token header'}.`,
      ...(parameters.length ? { parameters } : {}),
      responses: {
        [String(route.status ?? 200)]: responseDoc(route),
        '400': { $ref: '#/components/responses/InvalidInput' },
        '401': { $ref: '#/components/responses/Unauthorized' },
        '403': { $ref: '#/components/responses/Forbidden' },
        ...Object.fromEntries(
          Object.entries(route.errors ?? {}).map(([status, description]) => [status, { description, ...errorBody }]),
        ),
      },
    };
    if (route.body || route.requestContentType) {
      const content = {
        ...(route.body ? { 'application/json': { schema: jsonSchema(route.body) } } : {}),
        ...(route.requestContentType ? { [route.requestContentType]: { schema: requestSchema(route) } } : {}),
      };
      operation.requestBody = { required: true, content };
    }
    paths[path] = { ...paths[path], [route.method]: operation };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        session: { type: 'apiKey', in: 'cookie', name: sessionCookie },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string' },
                message: { type: 'string' },
                issues: {
                  type: 'array',
                  items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
                },
              },
            },
          },
        },
      },
      responses: {
        InvalidInput: { description: 'The input is invalid; `issues` names each bad field.', ...errorBody },
        Unauthorized: { description: 'Missing or unknown token, or no live session.', ...errorBody },
        Forbidden: {
          description: 'The role is not enough, or a session cookie came without its CSRF token.',
          ...errorBody,
        },
      },
    },
    security: [{ bearer: [] }, { session: [] }],
  };
}

/** The schema of a body in the route's own content type: text (CSV), or a form's files. */
function requestSchema(route: RouteSpec) {
  if (!route.formFiles) return { type: 'string' };
  const files = Object.entries(route.formFiles);
  return {
    type: 'object',
    required: files.map(([name]) => name),
    properties: Object.fromEntries(
      files.map(([name, description]) => [name, { type: 'string', format: 'binary', description }]),
    ),
  };
}

function responseDoc(route: RouteSpec) {
  if ((route.status ?? 200) === 204) return { description: 'Done.' };
  if (route.responseContentType) {
    return { description: 'OK', content: { [route.responseContentType]: { schema: { type: 'string' } } } };
  }
  return {
    description: 'OK',
    content: { 'application/json': { schema: route.response ? jsonSchema(route.response) : {} } },
  };
}

function jsonSchema(schema: z.ZodType) {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return rest;
}

function objectParameters(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => ({
    name,
    in: where,
    required: where === 'path' || !field.safeParse(undefined).success,
    schema: jsonSchema(field),
  }));
}

export function requireRole(auth: Auth, role: StaffRole): void {
  if (!roleAtLeast(auth.role, role)) {
    throw new AppError('forbidden', `This needs the ${role} role${role === 'admin' ? '' : ' or a higher one'}`);
  }
}

/** "`editor` or `admin`": the role given and the ones above it. */
function rolesFrom(role: StaffRole): string {
  return STAFF_ROLES.filter((r) => roleAtLeast(r, role))
    .map((r) => `\`${r}\``)
    .join(' or ')
    .replace(/ or (?=.* or )/g, ', ');
}
