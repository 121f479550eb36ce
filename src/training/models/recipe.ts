import { z } from 'zod';
import { MortarError } from '../../core/errors.js';
import type { JsonValue } from '../../core/json.js';
import { KindRegistry } from '../../core/registry.js';
import { parseConfig } from '../nn/check.js';
import type { SequentialConfig } from '../nn/sequential.js';

/** What a model predicts: a class among K (softmax), a yes/no (one logit), or a number. */
export type Task = 'classification' | 'binary' | 'regression';

/** A network model ready to build: its task, architecture and loss. JSON-safe. */
export interface ModelRecipe {
  readonly kind: string;
  readonly task: Task;
  readonly network: SequentialConfig;
  readonly loss: { readonly kind: string; readonly config: JsonValue };
}

/** What the data says about a model's input and output. */
export interface ModelShape {
  /** Encoded features per sample. */
  readonly features: number;
  /** Distinct classes (classification) or 0 (regression). */
  readonly classes: number;
}

/** Builds a {@link ModelRecipe} from the data's shape and a model config (the kind's hyper-parameters). */
export type RecipeBuilder = (shape: ModelShape, config: JsonValue) => ModelRecipe;

const Activation = z.enum(['relu', 'gelu', 'tanh', 'sigmoid']);
const MlpConfig = z
  .object({
    hidden: z.array(z.number().int().min(1)).default([64, 64]),
    activation: Activation.default('relu'),
    dropout: z.number().min(0).lt(1).default(0),
    batchNorm: z.boolean().default(false),
    task: z.enum(['classification', 'regression']).optional(),
    classWeights: z.array(z.number().min(0)).optional(),
  })
  .strict();
const CnnConfig = z
  .object({
    /** Per-sample image shape [channels, height, width]; default [1, s, s] when features = s^2. */
    inputShape: z
      .tuple([z.number().int().min(1), z.number().int().min(1), z.number().int().min(1)])
      .optional(),
    filters: z.array(z.number().int().min(1)).default([16, 32]),
    kernel: z.number().int().min(1).default(3),
    dense: z.number().int().min(1).default(128),
    dropout: z.number().min(0).lt(1).default(0),
    batchNorm: z.boolean().default(false),
    classWeights: z.array(z.number().min(0)).optional(),
  })
  .strict();
const LinearConfig = z.object({}).strict();
const LogregConfig = z.object({ positiveWeight: z.number().gt(0).default(1) }).strict();
const SoftmaxConfig = z.object({ classWeights: z.array(z.number().min(0)).optional() }).strict();

const ce = (classWeights?: number[]): ModelRecipe['loss'] => ({
  kind: 'cross-entropy',
  config: classWeights ? { classWeights } : {},
});

function needClasses(kind: string, s: ModelShape, min: number): void {
  if (s.classes < min) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `${kind} needs a label with at least ${min} classes, the data has ${s.classes}`,
    );
  }
}

/**
 * Network model kinds: linear (regression), logreg (binary logistic regression), softmax
 * (multinomial logistic regression), mlp, cnn. Each turns the data's shape and a JSON config
 * into a {@link ModelRecipe}.
 */
export const MODEL_RECIPES = new KindRegistry<RecipeBuilder>('model')
  .register('linear', () => (s, config) => {
    parseConfig('linear model', LinearConfig, config);
    return {
      kind: 'linear',
      task: 'regression',
      network: { inputShape: [s.features], layers: [{ kind: 'dense', config: { units: 1 } }] },
      loss: { kind: 'mse', config: {} },
    };
  })
  .register('logreg', () => (s, config) => {
    const c = parseConfig('logreg model', LogregConfig, config);
    if (s.classes !== 2) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `logreg is binary: the label must have exactly 2 classes, it has ${s.classes}; use --model softmax for more`,
      );
    }
    return {
      kind: 'logreg',
      task: 'binary',
      network: { inputShape: [s.features], layers: [{ kind: 'dense', config: { units: 1 } }] },
      loss: { kind: 'bce', config: { positiveWeight: c.positiveWeight } },
    };
  })
  .register('softmax', () => (s, config) => {
    const c = parseConfig('softmax model', SoftmaxConfig, config);
    needClasses('softmax', s, 2);
    return {
      kind: 'softmax',
      task: 'classification',
      network: {
        inputShape: [s.features],
        layers: [{ kind: 'dense', config: { units: s.classes } }],
      },
      loss: ce(c.classWeights),
    };
  })
  .register('mlp', () => (s, config) => {
    const c = parseConfig('mlp model', MlpConfig, config);
    const task: Task = c.task ?? (s.classes > 0 ? 'classification' : 'regression');
    if (task === 'classification') needClasses('mlp', s, 2);
    const layers: SequentialConfig['layers'] = [];
    for (const units of c.hidden) {
      layers.push({ kind: 'dense', config: { units } });
      if (c.batchNorm) layers.push({ kind: 'batchnorm' });
      layers.push({ kind: c.activation });
      if (c.dropout > 0) layers.push({ kind: 'dropout', config: { rate: c.dropout } });
    }
    layers.push({ kind: 'dense', config: { units: task === 'classification' ? s.classes : 1 } });
    return {
      kind: 'mlp',
      task,
      network: { inputShape: [s.features], layers },
      loss: task === 'classification' ? ce(c.classWeights) : { kind: 'mse', config: {} },
    };
  })
  .register('cnn', () => (s, config) => {
    const c = parseConfig('cnn model', CnnConfig, config);
    needClasses('cnn', s, 2);
    let shape = c.inputShape as number[] | undefined;
    if (!shape) {
      const side = Math.round(Math.sqrt(s.features));
      if (side * side !== s.features) {
        throw new MortarError(
          'INVALID_CONFIG',
          `cnn: ${s.features} features are not a square image; set "inputShape": [channels, height, width] in the config`,
        );
      }
      shape = [1, side, side];
    }
    if (shape.reduce((a, b) => a * b, 1) !== s.features) {
      throw new MortarError(
        'INVALID_CONFIG',
        `cnn: inputShape [${shape.join(',')}] holds ${shape.reduce((a, b) => a * b, 1)} values but each row has ${s.features} features`,
      );
    }
    const layers: SequentialConfig['layers'] = [{ kind: 'reshape', config: { shape } }];
    let [, h, w] = shape as [number, number, number];
    for (const f of c.filters) {
      layers.push({
        kind: 'conv2d',
        config: { filters: f, kernel: c.kernel, padding: Math.floor(c.kernel / 2) },
      });
      if (c.batchNorm) layers.push({ kind: 'batchnorm' });
      layers.push({ kind: 'relu' });
      if (h >= 2 && w >= 2) {
        layers.push({ kind: 'maxpool2d', config: { kernel: 2 } });
        h = Math.floor(h / 2);
        w = Math.floor(w / 2);
      }
    }
    layers.push(
      { kind: 'flatten' },
      { kind: 'dense', config: { units: c.dense } },
      { kind: 'relu' },
    );
    if (c.dropout > 0) layers.push({ kind: 'dropout', config: { rate: c.dropout } });
    layers.push({ kind: 'dense', config: { units: s.classes } });
    return {
      kind: 'cnn',
      task: 'classification',
      network: { inputShape: [s.features], layers },
      loss: ce(c.classWeights),
    };
  });

/** The recipe for model `kind` (one of {@link MODEL_RECIPES}' kinds). */
export function modelRecipe(kind: string, shape: ModelShape, config: JsonValue = {}): ModelRecipe {
  return MODEL_RECIPES.create(kind)(shape, config);
}
