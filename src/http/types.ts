import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Metrics } from '../core/metrics.js';

/** Per-request variables every handler can read with `c.get(...)` / `c.var`. */
export interface AppVariables {
  /** The request id (from `X-Request-Id` when the client sent a sane one, else a UUID). */
  requestId: string;
  /** A logger bound to the request id. */
  logger: Logger;
}

/** The hono environment of the Mortar app. */
export interface AppEnv {
  Variables: AppVariables;
}

/** The Mortar HTTP app: an OpenAPIHono whose routes are documented at `/openapi.json`. */
export type MortarApp = OpenAPIHono<AppEnv>;

/** What the app hands every {@link RouteModule} when it registers. */
export interface RouteDeps {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock: Clock;
}

/**
 * A group of routes a subsystem adds to the app. Each module is a small object built by a factory
 * that closes over what the routes need (a store, a study, a model repository); the app passes
 * only the shared side effects in {@link RouteDeps}.
 *
 * Contract:
 * - `register` is called once, synchronously, while the app is built, before the first request;
 *   it adds routes with `app.openapi(createRoute({...}), handler)` so that their zod schemas
 *   validate the request (a failure is a 400 naming the field) and appear in `/openapi.json`.
 * - Handlers signal failure by throwing a `MortarError`; the app's one error handler maps its code
 *   to a status (`HTTP_STATUS`) and a `{ error: { code, message, details } }` body. Never build
 *   error responses by hand.
 * - Paths are versioned (`/v1/...`); `name` is unique within an app.
 * - Authentication, the body-size cap, request ids, metrics and access logs are applied by the
 *   app to every route; modules add none of their own.
 *
 * @example
 * // src/http/routes/studies.ts (in a later issue)
 * export function studyRoutes(opts: { store: Store }): RouteModule {
 *   const get = createRoute({
 *     method: 'get',
 *     path: '/v1/studies/{name}',
 *     request: { params: z.object({ name: z.string().min(1) }) },
 *     responses: { 200: { description: 'a study', content: { 'application/json': { schema: StudySchema } } },
 *                  ...errorResponses(400, 401, 404) },
 *   });
 *   return {
 *     name: 'studies',
 *     register(app, { logger }) {
 *       app.openapi(get, async (c) => c.json(await loadStudy(opts.store, c.req.valid('param').name), 200));
 *     },
 *   };
 * }
 * // and in the CLI: createApp({ ..., routes: [runsRoutes({ store }), studyRoutes({ store })] })
 */
export interface RouteModule {
  /** A unique name for the group (used in errors and logs). */
  readonly name: string;
  /** Adds the group's routes to `app`. */
  register(app: MortarApp, deps: RouteDeps): void;
}
