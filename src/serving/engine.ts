import { systemClock, type Clock } from '../core/clock.js';
import { MortarError } from '../core/errors.js';
import { noopLogger, type Logger } from '../core/logger.js';
import { noopMetrics, type Metrics } from '../core/metrics.js';
import { Rng } from '../core/rng.js';
import { batchPolicies } from './batching/registry.js';
import { DynamicBatching } from './batching/dynamic.js';
import type { BatchPolicy } from './batching/policy.js';
import { BatchRunner } from './batching/runner.js';
import { PredictionCache, type PredictionCacheOptions } from './cache.js';
import { requestTimeoutMs, type ResponseShape } from './kserve/codec.js';
import { inlineDecoder, type RequestDecoder } from './kserve/decoder.js';
import { MODEL_DEFAULTS, type ModelConfig, type ModelDefaults } from './config.js';
import { servingMetrics, type ServingMetrics } from './metrics.js';
import type { Model, ModelSignature } from './model.js';
import { scanRepository, type ModelSource, type VersionSource } from './repository.js';
import { createBandit } from './selection/registry.js';
import { Selector, type Feedback } from './selection/selector.js';
import type { TensorMap } from './tensor.js';
import { checkInputs, isBatchable } from './validate.js';

/** Loads the model file of one version (e.g. `onnxLoader(pool)` from `mortar/serving/onnx`). */
export type ModelLoader = (source: VersionSource) => Promise<Model>;

/** Options for {@link ServingEngine.open}. */
export interface EngineOptions {
  /** The model repository folder; omit to add models only with {@link ServingEngine.addModel}. */
  readonly root?: string;
  /** Loads repository versions; required with `root`. */
  readonly loader?: ModelLoader;
  /** Batches in flight per version (match the worker count); default 1. */
  readonly concurrency?: number;
  /** Prediction cache; `false` disables it. */
  readonly cache?: PredictionCacheOptions | false;
  /** Poll the repository for changes every `pollMs` ms (0 = never; call `reload()`). */
  readonly pollMs?: number;
  /** Serving defaults for models whose model.json does not say. */
  readonly defaults?: Partial<ModelDefaults>;
  /**
   * Decodes large request bodies for {@link ServingEngine.inferBody} (e.g. `pool.decoder()` of
   * `mortar/serving/onnx`, which parses JSON on the worker threads); default: this thread.
   */
  readonly decoder?: RequestDecoder;
  /**
   * Bodies whose JSON part has at least this many bytes go to `decoder`; smaller ones are
   * decoded on this thread (a thread hop costs more than parsing them). Default 16384.
   */
  readonly offThreadDecodeBytes?: number;
  /** Seed of selection models' random choices (combined with each model's own seed). */
  readonly seed?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
}

/** The state of one served version. */
export interface VersionStatus {
  readonly version: string;
  readonly state: 'ready' | 'failed';
  readonly reason?: string;
}

/** The state of one model name. */
export interface ModelStatus {
  readonly name: string;
  readonly kind: 'model' | 'selection';
  readonly ready: boolean;
  readonly reason?: string;
  readonly versions: readonly VersionStatus[];
}

/** Per-request options of {@link ServingEngine.infer}. */
export interface EngineInferOptions {
  /** Request id (echoed; the key for feedback to selection models). */
  readonly id?: string;
  /** Output names wanted; all when absent. */
  readonly outputs?: readonly string[];
  /** Deadline in ms from now; default: the model's `timeoutMs`. */
  readonly timeoutMs?: number;
  /** Skip the prediction cache for this request. */
  readonly noCache?: boolean;
}

/** What {@link ServingEngine.infer} answers. */
export interface EngineAnswer {
  readonly model: string;
  readonly version: string;
  readonly id: string;
  readonly outputs: TensorMap;
  /** True when answered from the prediction cache. */
  readonly cached: boolean;
  /** For selection models: members queried and members that answered. */
  readonly selection?: {
    readonly queried: readonly string[];
    readonly answered: readonly string[];
  };
}

/** What {@link ServingEngine.inferBody} answers: the answer and how the request wants it encoded. */
export interface BodyAnswer {
  readonly answer: EngineAnswer;
  readonly request: ResponseShape;
}

/** Cache hashes computed before {@link ServingEngine.infer}'s own (raw-body requests). */
interface Hashes {
  readonly inputHash?: string | undefined;
  readonly bodyHash?: string | undefined;
  readonly shape?: ResponseShape;
}

interface Live {
  readonly version: number;
  readonly model: Model;
  readonly runner: BatchRunner;
  readonly signature: ModelSignature;
  readonly config: ModelConfig;
  readonly fingerprint: string;
}

interface Entry {
  readonly name: string;
  live: Map<number, Live>;
  failed: Map<number, string>;
  error?: string;
  selector?: Selector;
  config: ModelConfig;
  configKey: string;
}

/**
 * The serving engine: a model repository loaded into memory, with per-version batching runners,
 * a prediction cache, selection models and metrics. It is what the KServe routes and the CLI
 * drive; it knows nothing of HTTP.
 *
 * Hot reload: {@link reload} (or polling) loads a changed version first, then swaps it in; the
 * old version answers what it already queued before it is closed, so no request is dropped.
 */
export class ServingEngine {
  private readonly entries = new Map<string, Entry>();
  private readonly unloaded = new Set<string>();
  private readonly m: ServingMetrics;
  private readonly cache: PredictionCache | undefined;
  private readonly defaults: ModelDefaults;
  private readonly clock: Clock;
  private readonly log: Logger;
  private timer: NodeJS.Timeout | undefined;
  private reloading: Promise<void> | undefined;
  private nextId = 0;
  private closed = false;

  private constructor(private readonly opts: EngineOptions) {
    this.m = servingMetrics(opts.metrics ?? noopMetrics);
    this.cache = opts.cache === false ? undefined : new PredictionCache(opts.cache ?? {});
    this.defaults = { ...MODEL_DEFAULTS, ...opts.defaults };
    this.clock = opts.clock ?? systemClock;
    this.log = opts.logger ?? noopLogger;
  }

  /** Builds an engine and loads its repository (models that fail to load are reported, not thrown). */
  static async open(opts: EngineOptions): Promise<ServingEngine> {
    if (opts.root !== undefined && !opts.loader) {
      throw new MortarError('INVALID_ARGUMENT', 'ServingEngine.open: a root needs a loader');
    }
    const e = new ServingEngine(opts);
    if (opts.root !== undefined) await e.reload();
    const poll = opts.pollMs ?? 0;
    if (poll > 0 && opts.root !== undefined) {
      const tick = () => {
        e.timer = setTimeout(() => {
          void e.reload().finally(() => !e.closed && tick());
        }, poll);
        e.timer.unref();
      };
      tick();
    }
    return e;
  }

  /** The prediction cache's hit rate (0 without a cache). */
  get cacheHitRate(): number {
    return this.cache?.hitRate ?? 0;
  }

  /**
   * Serves `model` as `name` version `version` (for models built in code, e.g. Mortar's own
   * trained models). Replaces a version of that name added before.
   */
  async addModel(
    name: string,
    version: number,
    model: Model,
    config: ModelConfig = {},
  ): Promise<void> {
    const entry = this.entry(name, config);
    await this.swap(entry, version, model, config, `added:${++this.nextId}`);
  }

  /** Rescans the repository: loads new and changed versions, unloads removed ones. */
  reload(): Promise<void> {
    this.reloading ??= this.rescan().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  /** Stops serving `name` (one version, or all) until {@link load} is called. */
  async unload(name: string, version?: number): Promise<void> {
    const entry = this.entries.get(name);
    if (!entry) throw this.unknown(name);
    if (version === undefined) {
      this.unloaded.add(name);
      this.entries.delete(name);
      await Promise.all([...entry.live.values()].map((l) => this.retire(name, l)));
      this.log.info('model unloaded', { model: name });
      return;
    }
    const live = entry.live.get(version);
    if (!live) throw this.unknownVersion(name, String(version));
    entry.live.delete(version);
    await this.retire(name, live);
  }

  /** Serves `name` again after {@link unload} (re-reads the repository). */
  async load(name: string): Promise<void> {
    this.unloaded.delete(name);
    await this.reload();
    if (!this.entries.has(name)) throw this.unknown(name);
  }

  /** Every model name with its readiness. */
  list(): ModelStatus[] {
    return [...this.entries.keys()].sort().map((n) => this.status(n));
  }

  /** The readiness of `name` (and of each version); NOT_FOUND for an unknown name. */
  status(name: string): ModelStatus {
    const e = this.entries.get(name);
    if (!e) throw this.unknown(name);
    if (e.selector) {
      const missing = e.selector.members.filter((m) => !this.resolveMember(m));
      return {
        name,
        kind: 'selection',
        ready: missing.length === 0 && e.error === undefined,
        ...(e.error || missing.length
          ? { reason: e.error ?? `members not ready: ${missing.join(', ')}` }
          : {}),
        versions: [],
      };
    }
    const versions: VersionStatus[] = [
      ...[...e.live.keys()].map((v) => ({ version: String(v), state: 'ready' as const })),
      ...[...e.failed].map(([v, reason]) => ({
        version: String(v),
        state: 'failed' as const,
        reason,
      })),
    ].sort((a, b) => Number(a.version) - Number(b.version));
    const reason = e.error ?? [...e.failed.values()][0];
    return {
      name,
      kind: 'model',
      ready: e.live.size > 0,
      ...(e.live.size === 0 && reason ? { reason } : {}),
      versions,
    };
  }

  /** KServe model metadata of `name` (a given version, else the latest ready one). */
  metadata(
    name: string,
    version?: string,
  ): {
    name: string;
    versions: string[];
    platform: string;
    inputs: ModelSignature['inputs'];
    outputs: ModelSignature['outputs'];
  } {
    const e = this.entries.get(name);
    if (!e) throw this.unknown(name);
    if (e.selector) {
      const first = this.resolveMember(e.selector.members[0]!);
      if (!first) throw this.notReady(name, this.status(name).reason);
      return {
        name,
        versions: [],
        platform: `mortar_selection_${e.selector.bandit.kind}`,
        inputs: first.live.signature.inputs,
        outputs: first.live.signature.outputs,
      };
    }
    const live = this.pick(e, version);
    return {
      name,
      versions: [...e.live.keys()].sort((a, b) => a - b).map(String),
      platform: live.signature.platform,
      inputs: live.signature.inputs,
      outputs: live.signature.outputs,
    };
  }

  /**
   * Runs one request: validates inputs against the version's signature, answers from the cache
   * when it can, else queues it for batching. Errors: NOT_FOUND (model/version),
   * UNAVAILABLE (not ready), INVALID_ARGUMENT (inputs), RESOURCE_EXHAUSTED (queue full),
   * DEADLINE_EXCEEDED.
   */
  async infer(
    name: string,
    version: string | undefined,
    inputs: TensorMap,
    opts: EngineInferOptions = {},
  ): Promise<EngineAnswer> {
    return this.run(name, version, inputs, opts, {});
  }

  /**
   * Runs one KServe V2 request given as its raw body (JSON, or the binary tensor extension with
   * `headerLength` bytes of JSON): the server's fast path. A body seen before (same bytes, same
   * model version) is answered from the prediction cache without being decoded; else it is
   * decoded (large JSON on {@link EngineOptions.decoder}'s threads) and run as {@link infer} does,
   * and an input seen before under other bytes (another id, other formatting) still hits.
   * Takes ownership of `body`. Errors: those of {@link infer} and of `decodeInferRequest`.
   */
  async inferBody(
    name: string,
    version: string | undefined,
    body: Uint8Array,
    headerLength?: number,
  ): Promise<BodyAnswer> {
    const e = this.entries.get(name);
    if (!e) throw this.unknown(name);
    const start = this.clock.monotonic();
    let bodyHash: string | undefined;
    if (!e.selector && this.cache) {
      const live = this.pick(e, version);
      if (live.config.cache !== false) {
        bodyHash = `${headerLength ?? ''}:${PredictionCache.bytesHash(body)}`;
        const v = String(live.version);
        const hit = this.cache.getAlias<ResponseShape>(PredictionCache.aliasKey(name, v, bodyHash));
        if (hit) {
          const labels = { model: name, version: v };
          this.m.cacheHitRate.set(this.cache.hitRate);
          this.m.cacheHits.inc(labels);
          this.m.requests.inc({ ...labels, status: 'ok' });
          this.m.latency.observe((this.clock.monotonic() - start) / 1000, labels);
          const id = hit.meta.id ?? `${name}-${++this.nextId}`;
          return {
            answer: { model: name, version: v, id, outputs: hit.outputs, cached: true },
            request: hit.meta,
          };
        }
      }
    }
    const jsonBytes = headerLength ?? body.byteLength;
    const decoder =
      this.opts.decoder && jsonBytes >= (this.opts.offThreadDecodeBytes ?? 16_384)
        ? this.opts.decoder
        : inlineDecoder;
    const req = await decoder.decode(body, headerLength, bodyHash !== undefined);
    const timeoutMs = requestTimeoutMs(req.parameters);
    const shape: ResponseShape = {
      ...(req.id === undefined ? {} : { id: req.id }),
      ...(req.outputs ? { outputs: req.outputs } : {}),
      binaryOutputs: req.binaryOutputs,
    };
    const answer = await this.run(
      name,
      version,
      req.inputs,
      {
        ...(req.id === undefined ? {} : { id: req.id }),
        ...(req.outputs ? { outputs: req.outputs.map((o) => o.name) } : {}),
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      },
      { inputHash: req.inputHash, bodyHash, shape },
    );
    return { answer, request: shape };
  }

  private async run(
    name: string,
    version: string | undefined,
    inputs: TensorMap,
    opts: EngineInferOptions,
    hashes: Hashes,
  ): Promise<EngineAnswer> {
    const id = opts.id ?? `${name}-${++this.nextId}`;
    const e = this.entries.get(name);
    if (!e) throw this.unknown(name);
    if (e.selector) {
      if (version !== undefined) {
        throw new MortarError(
          'INVALID_ARGUMENT',
          `${name} is a selection model and has no versions; drop /versions/${version}`,
          { details: { model: name } },
        );
      }
      return this.inferSelection(e, e.selector, id, inputs, opts);
    }
    const live = this.pick(e, version);
    const v = String(live.version);
    const labels = { model: name, version: v };
    const start = this.clock.monotonic();
    try {
      const rows = checkInputs(name, live.signature, inputs);
      const cache = !opts.noCache && live.config.cache !== false ? this.cache : undefined;
      const key = cache
        ? PredictionCache.keyOf(
            name,
            v,
            hashes.inputHash ?? PredictionCache.inputHash(inputs),
            opts.outputs,
          )
        : '';
      const alias = () => {
        if (cache && hashes.bodyHash !== undefined) {
          cache.setAlias(PredictionCache.aliasKey(name, v, hashes.bodyHash), key, hashes.shape);
        }
      };
      if (cache) {
        const hit = cache.get(key);
        this.m.cacheHitRate.set(cache.hitRate);
        if (hit) {
          alias();
          this.m.cacheHits.inc(labels);
          this.m.requests.inc({ ...labels, status: 'ok' });
          this.m.latency.observe((this.clock.monotonic() - start) / 1000, labels);
          return { model: name, version: v, id, outputs: hit, cached: true };
        }
        this.m.cacheMisses.inc(labels);
      }
      const timeout = opts.timeoutMs ?? live.config.timeoutMs ?? this.defaults.timeoutMs;
      const pending = live.runner.infer(
        inputs,
        rows,
        start + timeout,
        opts.outputs ? { outputs: opts.outputs } : {},
      );
      this.m.queueRows.set(live.runner.queuedRows, labels);
      const outputs = await pending;
      if (cache) {
        cache.set(key, outputs);
        alias();
      }
      this.m.requests.inc({ ...labels, status: 'ok' });
      this.m.latency.observe((this.clock.monotonic() - start) / 1000, labels);
      return { model: name, version: v, id, outputs, cached: false };
    } catch (err) {
      const code = err instanceof MortarError ? err.code : 'INTERNAL';
      this.m.requests.inc({ ...labels, status: code });
      throw err;
    }
  }

  /** Feedback for a selection model's earlier answer `id` (true label or reward in [0, 1]). */
  feedback(
    name: string,
    id: string,
    fb: Feedback,
  ): { rewards: (number | undefined)[]; weights: number[] } {
    const e = this.entries.get(name);
    if (!e) throw this.unknown(name);
    if (!e.selector) {
      throw new MortarError(
        'FAILED_PRECONDITION',
        `${name} is a single model; feedback goes to selection models (a model.json with "selection")`,
        { details: { model: name } },
      );
    }
    const { rewards } = e.selector.feedback(id, fb);
    this.m.feedback.inc({ model: name });
    const weights = e.selector.bandit.weights();
    this.publishWeights(name, e.selector);
    return { rewards, weights };
  }

  /** Stops polling, drains every version and closes the models. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.reloading;
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.flatMap((e) => [...e.live.values()].map((l) => this.retire(e.name, l))));
  }

  private async inferSelection(
    e: Entry,
    sel: Selector,
    id: string,
    inputs: TensorMap,
    opts: EngineInferOptions,
  ): Promise<EngineAnswer> {
    const deadline =
      opts.timeoutMs ?? e.config.latencyObjectiveMs ?? this.defaults.latencyObjectiveMs;
    const start = this.clock.monotonic();
    const labels = { model: e.name, version: '' };
    try {
      const ans = await sel.infer(id, inputs, deadline, async (member, memberInputs) => {
        const [mname, mver] = member.split('@') as [string, string | undefined];
        const r = await this.infer(mname, mver, memberInputs, {
          ...(opts.outputs ? { outputs: opts.outputs } : {}),
          ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
        });
        return { outputs: r.outputs, version: r.version };
      });
      this.publishWeights(e.name, sel);
      this.m.requests.inc({ ...labels, status: 'ok' });
      this.m.latency.observe((this.clock.monotonic() - start) / 1000, labels);
      return {
        model: e.name,
        version: '',
        id,
        outputs: ans.outputs,
        cached: false,
        selection: { queried: ans.queried, answered: ans.answered },
      };
    } catch (err) {
      this.m.requests.inc({
        ...labels,
        status: err instanceof MortarError ? err.code : 'INTERNAL',
      });
      throw err;
    }
  }

  private publishWeights(name: string, sel: Selector): void {
    sel.bandit
      .weights()
      .forEach((w, i) => this.m.banditWeight.set(w, { model: name, member: sel.members[i]! }));
  }

  private resolveMember(member: string): { live: Live } | undefined {
    const [n, v] = member.split('@') as [string, string | undefined];
    const e = this.entries.get(n);
    if (!e || e.selector) return undefined;
    try {
      return { live: this.pick(e, v) };
    } catch {
      return undefined;
    }
  }

  private pick(e: Entry, version: string | undefined): Live {
    if (version === undefined) {
      let best: Live | undefined;
      for (const l of e.live.values()) if (!best || l.version > best.version) best = l;
      if (!best) throw this.notReady(e.name, this.status(e.name).reason);
      return best;
    }
    const v = /^\d+$/.test(version) ? Number(version) : NaN;
    const live = e.live.get(v);
    if (live) return live;
    const failed = e.failed.get(v);
    if (failed) throw this.notReady(`${e.name} version ${version}`, failed);
    throw this.unknownVersion(e.name, version);
  }

  private entry(name: string, config: ModelConfig): Entry {
    let e = this.entries.get(name);
    if (!e) {
      e = { name, live: new Map(), failed: new Map(), config, configKey: JSON.stringify(config) };
      this.entries.set(name, e);
    }
    return e;
  }

  private async rescan(): Promise<void> {
    if (this.opts.root === undefined || this.closed) return;
    let sources: ModelSource[];
    try {
      sources = scanRepository(this.opts.root, this.defaults.versionPolicy);
    } catch (err) {
      this.log.error('model repository scan failed', { err: (err as Error).message });
      if (this.entries.size === 0) throw err;
      return;
    }
    const seen = new Set<string>();
    for (const src of sources) {
      if (this.unloaded.has(src.name)) continue;
      seen.add(src.name);
      await this.sync(src);
    }
    for (const [name, e] of this.entries) {
      if (seen.has(name)) continue;
      if ([...e.live.values()].some((l) => l.fingerprint.startsWith('added:'))) continue;
      this.entries.delete(name);
      await Promise.all([...e.live.values()].map((l) => this.retire(name, l)));
      this.log.info('model removed from the repository', { model: name });
    }
  }

  private async sync(src: ModelSource): Promise<void> {
    const key = JSON.stringify(src.config);
    let e = this.entries.get(src.name);
    if (e && e.configKey !== key && (e.selector || src.config.selection)) {
      // A selection model's config changed: rebuild it.
      this.entries.delete(src.name);
      await Promise.all([...e.live.values()].map((l) => this.retire(src.name, l)));
      e = undefined;
    }
    e ??= this.entry(src.name, src.config);
    e.config = src.config;
    e.configKey = key;
    if (src.error !== undefined) {
      e.error = src.error;
      if (e.live.size === 0)
        this.log.warn('model not ready', { model: src.name, reason: src.error });
    } else {
      delete e.error;
    }
    if (src.config.selection) {
      if (!e.selector) {
        const s = src.config.selection;
        try {
          const bandit = createBandit(s.kind, s.members.length, s.config as never);
          const rng = new Rng((this.opts.seed ?? 0) ^ s.seed);
          e.selector = new Selector(src.name, s.members, bandit, rng);
          this.publishWeights(src.name, e.selector);
        } catch (err) {
          e.error = (err as Error).message;
        }
      }
      return;
    }
    const wanted = new Map(src.versions.map((v) => [v.version, v]));
    for (const [v, live] of [...e.live]) {
      if (!wanted.has(v) && !live.fingerprint.startsWith('added:')) {
        e.live.delete(v);
        await this.retire(src.name, live);
      }
    }
    for (const v of [...e.failed.keys()]) if (!wanted.has(v)) e.failed.delete(v);
    for (const vs of src.versions) {
      const live = e.live.get(vs.version);
      if (live && live.fingerprint === vs.fingerprint) continue;
      if (
        !live &&
        e.failed.has(vs.version) &&
        this.failedPrint.get(`${src.name}@${vs.version}`) === vs.fingerprint
      )
        continue;
      try {
        const model = await this.opts.loader!(vs);
        await this.swap(e, vs.version, model, vs.config, vs.fingerprint);
        e.failed.delete(vs.version);
        this.log.info(live ? 'model version reloaded' : 'model version loaded', {
          model: src.name,
          version: vs.version,
        });
      } catch (err) {
        const reason = (err as Error).message;
        this.failedPrint.set(`${src.name}@${vs.version}`, vs.fingerprint);
        if (!live) {
          e.failed.set(vs.version, reason);
          this.m.ready.set(0, { model: src.name, version: String(vs.version) });
        }
        this.log.error(
          live ? 'reload failed; the previous files keep serving' : 'model version failed to load',
          {
            model: src.name,
            version: vs.version,
            reason,
          },
        );
      }
    }
  }

  private readonly failedPrint = new Map<string, string>();

  private async swap(
    e: Entry,
    version: number,
    model: Model,
    config: ModelConfig,
    fingerprint: string,
  ): Promise<void> {
    const signature = withDeclared(model.signature, config);
    const labels = { model: e.name, version: String(version) };
    const runner = new BatchRunner({
      model,
      policy: this.policyFor(config, signature),
      clock: this.clock,
      concurrency: Math.max(1, this.opts.concurrency ?? 1),
      maxQueueRows: config.maxQueueRows ?? this.defaults.maxQueueRows,
      onBatch: (rows, ms) => {
        this.m.batchSize.observe(rows, labels);
        this.m.batchSeconds.observe(ms / 1000, labels);
        this.m.queueRows.set(runner.queuedRows, labels);
      },
    });
    const old = e.live.get(version);
    e.live.set(version, { version, model, runner, signature, config, fingerprint });
    this.m.ready.set(1, labels);
    if (old) {
      this.cache?.dropModel(e.name, String(version));
      await this.retire(e.name, old, false);
    }
  }

  private policyFor(config: ModelConfig, sig: ModelSignature): BatchPolicy {
    const b = config.batching ?? this.defaults.batching;
    if (b.kind === 'none' || !isBatchable(sig)) return new DynamicBatching({ maxBatchSize: 1 });
    const { kind, ...rest } = b;
    if (kind === 'adaptive' && !('objectiveMs' in rest && rest.objectiveMs !== undefined)) {
      return batchPolicies.create(kind, {
        ...rest,
        objectiveMs: config.latencyObjectiveMs ?? this.defaults.latencyObjectiveMs,
      } as never);
    }
    return batchPolicies.create(kind, rest as never);
  }

  private async retire(name: string, live: Live, markNotReady = true): Promise<void> {
    if (markNotReady) this.m.ready.set(0, { model: name, version: String(live.version) });
    await live.runner.close();
    await live.model.close();
  }

  private unknown(name: string): MortarError {
    const known = [...this.entries.keys()].sort();
    return new MortarError(
      'NOT_FOUND',
      `no model named "${name}"; this server has ${known.length ? known.join(', ') : 'no models'}`,
      { details: { model: name, known } },
    );
  }

  private unknownVersion(name: string, version: string): MortarError {
    const e = this.entries.get(name);
    const known = e ? [...e.live.keys(), ...e.failed.keys()].sort((a, b) => a - b).map(String) : [];
    return new MortarError(
      'NOT_FOUND',
      `model ${name} has no version "${version}"; served versions: ${known.join(', ') || '(none)'}`,
      { details: { model: name, version, known } },
    );
  }

  private notReady(what: string, reason: string | undefined): MortarError {
    return new MortarError('UNAVAILABLE', `${what} is not ready${reason ? `: ${reason}` : ''}`, {
      details: { model: what, reason: reason ?? null },
    });
  }
}

/** The model's own signature, with declared inputs/outputs of model.json taking precedence. */
function withDeclared(sig: ModelSignature, config: ModelConfig): ModelSignature {
  return {
    platform: sig.platform,
    inputs: config.inputs ?? sig.inputs,
    outputs: config.outputs ?? sig.outputs,
  };
}
