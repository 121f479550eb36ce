/**
 * Mortar's HTTP app: `createApp` builds it (no socket; test it with `app.request()`),
 * `startServer` serves it, and subsystems add route groups as {@link RouteModule}s.
 */
export { createApp, OPEN_PATHS, type AppOptions } from './app.js';
export { bearerAuth, type BearerAuthOptions } from './auth.js';
export {
  HTTP_STATUS,
  ErrorBodySchema,
  createErrorHandler,
  errorResponse,
  errorResponses,
  notFoundHandler,
  toHttpError,
  validationHook,
  type ErrorBody,
} from './errors.js';
export { observe, routeTemplate, UNMATCHED_ROUTE, type ObserveOptions } from './observe.js';
export { runsRoutes, RunSchema, type RunsRoutesOptions } from './routes/runs.js';
export { systemRoutes, HealthSchema, type SystemRoutesOptions } from './routes/system.js';
export {
  startServer,
  DEFAULT_HOST,
  type Fetchable,
  type RunningServer,
  type ServeOptions,
} from './serve.js';
export type { AppEnv, AppVariables, MortarApp, RouteDeps, RouteModule } from './types.js';
