import { pino, type Logger as PinoLogger } from 'pino';

/** Structured fields attached to a log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * The logger every layer receives. Implementations must be cheap when a level is disabled.
 * Inject it; never import a global logger below cli/ and http/.
 */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `bindings` to every line. */
  child(bindings: LogFields): Logger;
}

/** Log levels, quietest last. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
/** A log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A logger that drops everything: the default for library code. */
export const noopLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return noopLogger;
  },
};

/** Adapts a pino logger (for the edges: cli/ and http/). */
export function fromPino(p: PinoLogger): Logger {
  return {
    debug: (msg, f) => p.debug(f ?? {}, msg),
    info: (msg, f) => p.info(f ?? {}, msg),
    warn: (msg, f) => p.warn(f ?? {}, msg),
    error: (msg, f) => p.error(f ?? {}, msg),
    child: (b) => fromPino(p.child(b)),
  };
}

/**
 * A pino logger writing JSON lines to stderr (fd 2) at `level`.
 * @example const log = createPinoLogger('info'); log.info('server started', { port: 7070 });
 */
export function createPinoLogger(level: LogLevel = 'info', name = 'mortar'): Logger {
  return fromPino(pino({ name, level }, pino.destination(2)));
}
