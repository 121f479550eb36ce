import { z } from 'zod';

/**
 * The training config of a tabular network model (`mortar train --config cfg.json`): loop
 * settings, optimizer, schedule, data handling, and `model` (the kind's hyper-parameters).
 */
export const TrainConfigSchema = z
  .object({
    epochs: z.number().int().min(1).default(10),
    batchSize: z.number().int().min(1).default(64),
    seed: z.number().int().optional(),
    optimizer: z
      .object({ kind: z.enum(['sgd', 'adam', 'adamw']) })
      .catchall(z.json())
      .default({ kind: 'adam' }),
    schedule: z.object({ kind: z.string() }).catchall(z.json()).optional(),
    /** NaN or null in a feature: fail naming the row (default), or drop the row and report it. */
    nan: z.enum(['error', 'drop']).default('error'),
    /** Feature columns (default: every column but the label). */
    features: z.array(z.string()).optional(),
    maxCategories: z.number().int().min(1).default(32),
    /** Fraction of the training rows held out for validation (valLoss, early stopping). */
    validationFraction: z.number().min(0).lt(1).default(0),
    earlyStopping: z
      .object({
        patience: z.number().int().min(0).default(3),
        monitor: z.enum(['valLoss', 'valAccuracy', 'loss']).default('valLoss'),
      })
      .strict()
      .optional(),
    /** Worker threads for data-parallel training (1: this thread). */
    threads: z.number().int().min(1).max(64).default(1),
    /** The model kind's own hyper-parameters (hidden sizes, dropout, filters...). */
    model: z.record(z.string(), z.json()).default({}),
  })
  .strict();

/** A parsed training config. */
export type TrainConfig = z.infer<typeof TrainConfigSchema>;
