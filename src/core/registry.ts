import { MortarError } from './errors.js';
import type { JsonValue } from './json.js';

/**
 * A pluggable object: it has a stable `kind` and a JSON-safe config, so it can be stored and
 * rebuilt later with {@link KindRegistry.create}.
 */
export interface Pluggable {
  readonly kind: string;
  /** The config that rebuilds this object through its registry. */
  toConfig(): JsonValue;
}

/** Builds an instance of one kind from its JSON config. */
export type Factory<T> = (config: JsonValue) => T;

/**
 * An explicit registry of pluggable kinds (samplers, label models, stores, bandits...).
 * Registration is by name; creating an unknown kind fails with the list of known kinds.
 *
 * @example
 * const samplers = new KindRegistry<Sampler>('sampler');
 * samplers.register('random', (cfg) => new RandomSampler(cfg));
 * samplers.create('random', { seed: 1 });
 */
export class KindRegistry<T> {
  private readonly factories = new Map<string, Factory<T>>();

  /** @param what what the kinds are, for error messages ("sampler", "store"). */
  constructor(readonly what: string) {}

  /** Registers `kind`; registering a kind twice is an error. */
  register(kind: string, factory: Factory<T>): this {
    if (this.factories.has(kind)) {
      throw new MortarError('ALREADY_EXISTS', `${this.what} kind "${kind}" is already registered`);
    }
    this.factories.set(kind, factory);
    return this;
  }

  /** True if `kind` is registered. */
  has(kind: string): boolean {
    return this.factories.has(kind);
  }

  /** Every registered kind, sorted. */
  kinds(): string[] {
    return [...this.factories.keys()].sort();
  }

  /** Builds an instance of `kind` from `config`. */
  create(kind: string, config: JsonValue = {}): T {
    const f = this.factories.get(kind);
    if (!f) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `unknown ${this.what} kind "${kind}"; known kinds: ${this.kinds().join(', ') || '(none)'}`,
        { details: { kind, known: this.kinds() } },
      );
    }
    return f(config);
  }
}
