import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z, type Hook } from '@hono/zod-openapi';
import { MortarError, type ErrorCode } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { AppEnv } from './types.js';

/**
 * The one map from error code to HTTP status. It is a `Record<ErrorCode, number>`, so a new
 * error code that is not mapped here fails to compile.
 */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  INVALID_ARGUMENT: 400,
  // A config submitted with a request (the server's own config is checked before it starts).
  INVALID_CONFIG: 400,
  DATA_INVALID: 422,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  CONFLICT: 409,
  FAILED_PRECONDITION: 409,
  STORE_INCOMPATIBLE: 500,
  STORE_UNAVAILABLE: 503,
  UNAUTHENTICATED: 401,
  PAYLOAD_TOO_LARGE: 413,
  UNAVAILABLE: 503,
  RESOURCE_EXHAUSTED: 429,
  DEADLINE_EXCEEDED: 504,
  // "Client closed request" (nginx, gRPC gateways): the caller went away.
  CANCELLED: 499,
  UNSUPPORTED: 501,
  DEPENDENCY_MISSING: 501,
  INTERNAL: 500,
};

/** The wire shape of every error response: `{ error: { code, message, details } }`. */
export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'INVALID_ARGUMENT' }),
      message: z
        .string()
        .openapi({ example: 'query.limit: must be <= 1000; pass a smaller limit' }),
      details: z.record(z.string(), z.unknown()),
    }),
  })
  .openapi('Error');

/** An error response body. */
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/**
 * OpenAPI `responses` entries for the given error statuses, all with the {@link ErrorBodySchema}
 * body. Spread it into a route's `responses`.
 * @example createRoute({ ..., responses: { 200: {...}, ...errorResponses(400, 404) } })
 */
export function errorResponses<S extends number>(
  ...statuses: readonly S[]
): Record<
  S,
  { description: string; content: { 'application/json': { schema: typeof ErrorBodySchema } } }
> {
  const out = {} as Record<
    S,
    { description: string; content: { 'application/json': { schema: typeof ErrorBodySchema } } }
  >;
  for (const s of statuses) {
    out[s] = {
      description: ERROR_DESCRIPTIONS[s] ?? `error ${s}`,
      content: { 'application/json': { schema: ErrorBodySchema } },
    };
  }
  return out;
}

const ERROR_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'invalid argument: the message names the field and the fix',
  401: 'missing or wrong bearer token',
  404: 'not found',
  409: 'conflict with the current state',
  413: 'request body larger than the server accepts',
  422: 'the data in the request is invalid',
  429: 'too much work queued; retry after Retry-After seconds',
  500: 'internal error; the server log has the details under the request id',
  503: 'a model or the store is unavailable; retry later',
};

/** Builds the JSON error response for `err`, with the status from {@link HTTP_STATUS}. */
export function errorResponse(
  err: MortarError,
  extraHeaders: Record<string, string> = {},
): Response {
  const status = HTTP_STATUS[err.code];
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=UTF-8',
    ...extraHeaders,
  };
  if (
    err.code === 'RESOURCE_EXHAUSTED' ||
    err.code === 'STORE_UNAVAILABLE' ||
    err.code === 'UNAVAILABLE'
  ) {
    const after = err.details['retryAfterS'];
    headers['retry-after'] = String(
      typeof after === 'number' && Number.isFinite(after) ? Math.max(0, Math.ceil(after)) : 1,
    );
  }
  if (err.code === 'UNAUTHENTICATED') {
    headers['www-authenticate'] =
      err.details['reason'] === 'invalid'
        ? 'Bearer realm="mortar", error="invalid_token"'
        : 'Bearer realm="mortar"';
  }
  return new Response(JSON.stringify(err.toJSON()), { status, headers });
}

/**
 * The zod-openapi `defaultHook`: a failed validation of params, query, headers or body becomes
 * 400 INVALID_ARGUMENT whose message names every failing field (`query.limit: ...`) and whose
 * details list the issues.
 */
export const validationHook: Hook<unknown, AppEnv, string, undefined> = (result) => {
  if (result.success) return;
  const issues = result.error.issues.map((i) => ({
    path: [result.target, ...i.path.map(String)].join('.'),
    message: i.message,
    code: i.code,
  }));
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  throw new MortarError(
    'INVALID_ARGUMENT',
    `invalid request ${result.target}: ${summary}; fix the field${issues.length > 1 ? 's' : ''} named and retry (the schemas are at /openapi.json)`,
    { details: { target: result.target, issues } },
  );
};

/**
 * Turns anything thrown while handling a request into a MortarError: MortarErrors stay as they
 * are; hono's HTTPExceptions (malformed JSON, unsupported media type, ...) get the nearest code
 * and a message naming the problem; anything else is INTERNAL, with a message that leaks nothing.
 */
export async function toHttpError(err: unknown, c: Context): Promise<MortarError> {
  if (err instanceof MortarError) return err;
  if (err instanceof HTTPException) {
    if (err.status === 400) {
      const jsonProblem = await malformedJson(c);
      if (jsonProblem !== undefined) {
        return new MortarError(
          'INVALID_ARGUMENT',
          `request body is not valid JSON (${jsonProblem}); send one JSON document with Content-Type: application/json`,
          { details: { target: 'json', problem: jsonProblem } },
        );
      }
    }
    if (err.status === 415) {
      const type = c.req.header('content-type') ?? '(none)';
      return new MortarError(
        'INVALID_ARGUMENT',
        `unsupported Content-Type ${type}; send the body as application/json`,
        { details: { contentType: type } },
      );
    }
    const code: ErrorCode =
      err.status === 401
        ? 'UNAUTHENTICATED'
        : err.status === 404
          ? 'NOT_FOUND'
          : err.status === 413
            ? 'PAYLOAD_TOO_LARGE'
            : err.status < 500
              ? 'INVALID_ARGUMENT'
              : 'INTERNAL';
    return new MortarError(code, err.message || `HTTP ${err.status}`, { cause: err });
  }
  return new MortarError('INTERNAL', 'internal error', { cause: err });
}

/** When the request body was read as text and does not parse as JSON, the parser's complaint. */
async function malformedJson(c: Context): Promise<string | undefined> {
  if (c.req.bodyCache.text === undefined) return undefined;
  let text: string;
  try {
    text = await c.req.text();
  } catch {
    return undefined;
  }
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    return text.trim() === '' ? 'the body is empty' : (e as Error).message;
  }
}

/**
 * The app's one error handler (`app.onError`). Client errors (4xx) are logged at debug level;
 * server errors at error level with the stack. Internal errors are answered with the request id
 * and no stack or message of the underlying error.
 */
export function createErrorHandler(logger: Logger): ErrorHandler<AppEnv> {
  return async (err, c) => {
    const mortar = await toHttpError(err, c);
    const requestId = c.get('requestId') as string | undefined; // unset if it failed before the id
    const status = HTTP_STATUS[mortar.code];
    if (status >= 500) {
      const cause = mortar.code === 'INTERNAL' && !(err instanceof MortarError) ? err : mortar;
      logger.error('request failed', {
        requestId,
        method: c.req.method,
        path: c.req.path,
        code: mortar.code,
        err:
          cause instanceof Error ? { message: cause.message, stack: cause.stack } : String(cause),
      });
    } else {
      logger.debug('request rejected', { requestId, code: mortar.code, message: mortar.message });
    }
    const answer =
      mortar.code === 'INTERNAL'
        ? new MortarError(
            'INTERNAL',
            `internal error${requestId ? ` (request id ${requestId})` : ''}; the server log has the details`,
            { details: requestId ? { requestId } : {} },
          )
        : mortar;
    return errorResponse(answer);
  };
}

/** The not-found handler: 404 JSON naming the method and path, pointing at /openapi.json. */
export const notFoundHandler: NotFoundHandler = (c) =>
  errorResponse(
    new MortarError(
      'NOT_FOUND',
      `no route for ${c.req.method} ${c.req.path}; the routes this server has are listed at /openapi.json`,
      { details: { method: c.req.method, path: c.req.path } },
    ),
  );
