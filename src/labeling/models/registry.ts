import { MortarError } from '../../core/errors.js';
import type { JsonValue } from '../../core/json.js';
import { KindRegistry } from '../../core/registry.js';
import type { LabelMatrix } from '../matrix.js';
import { DawidSkene } from './dawid-skene.js';
import type { FitOptions, LabelModel, LabelModelState } from './label-model.js';
import { MajorityVote } from './majority.js';
import { MatrixCompletion } from './matrix-completion.js';
import { Triplet } from './triplet.js';
import { predictLabels } from './common.js';

/** Every label model kind, by name. */
export const labelModels = new KindRegistry<LabelModel>('label model')
  .register('majority', (c) => new MajorityVote(c as never))
  .register('matrix-completion', (c) => new MatrixCompletion(c as never))
  .register('triplet', (c) => new Triplet(c as never))
  .register('dawid-skene', (c) => new DawidSkene(c as never));

const RESTORERS: Record<string, (s: LabelModelState) => LabelModel> = {
  majority: MajorityVote.restore,
  'matrix-completion': MatrixCompletion.restore,
  triplet: Triplet.restore,
  'dawid-skene': DawidSkene.restore,
};

/**
 * The default label model without gold labels: the kind with the best mean held-out accuracy
 * across Mortar's benchmark sets (`npm run bench -- labeling`: SpamAssassin and Movies; numbers
 * in bench/RESULTS.md, "## labeling"; rule in src/labeling/README.md). Today majority vote:
 * 85.14% mean, ahead of matrix-completion (= Snorkel's LabelModel) at 83.25%.
 */
export const DEFAULT_LABEL_MODEL = 'majority';

/** Creates a model by kind (`default` = {@link DEFAULT_LABEL_MODEL}). */
export function createLabelModel(kind: string, config: JsonValue = {}): LabelModel {
  return labelModels.create(kind === 'default' ? DEFAULT_LABEL_MODEL : kind, config);
}

/** Rebuilds a fitted model from `model.toJSON()`. */
export function restoreLabelModel(state: LabelModelState): LabelModel {
  const r = RESTORERS[state.kind];
  if (!r) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `unknown label model kind "${state.kind}"; known: ${Object.keys(RESTORERS).join(', ')}`,
    );
  }
  return r(state);
}

/** One candidate's score in {@link selectLabelModel}. */
export interface CandidateScore {
  readonly kind: string;
  readonly accuracy: number;
  readonly goldRows: number;
}

/**
 * The automatic choice with a small gold set: fits every candidate on all of `L`, scores hard
 * labels (ties broken by `lowest`) on the rows with gold >= 0, and returns the most accurate,
 * ties going to the earlier candidate (default order: the default model first). Needs at least
 * one gold row.
 */
export function selectLabelModel(
  L: LabelMatrix,
  gold: ArrayLike<number>,
  opts: FitOptions & { readonly candidates?: readonly string[] } = {},
): { model: LabelModel; scores: CandidateScore[] } {
  const kinds = opts.candidates ?? [
    DEFAULT_LABEL_MODEL,
    ...labelModels.kinds().filter((k) => k !== DEFAULT_LABEL_MODEL),
  ];
  const rows: number[] = [];
  for (let i = 0; i < gold.length; i++) if (gold[i]! >= 0) rows.push(i);
  if (rows.length === 0)
    throw new MortarError(
      'INVALID_ARGUMENT',
      'selectLabelModel: no gold labels (all -1); give some known labels',
    );
  let best: LabelModel | undefined;
  let bestAcc = -1;
  const scores: CandidateScore[] = [];
  for (const kind of kinds) {
    const model = createLabelModel(kind);
    if ((opts.correlations?.length ?? 0) > 0 && !model.supportsCorrelations) continue;
    model.fit(L, opts);
    const pred = predictLabels(model.predictProba(L.take(rows)), model.cardinality, 'lowest');
    let ok = 0;
    rows.forEach((i, t) => (ok += pred[t] === gold[i] ? 1 : 0));
    const acc = ok / rows.length;
    scores.push({ kind, accuracy: acc, goldRows: rows.length });
    if (acc > bestAcc) {
      bestAcc = acc;
      best = model;
    }
  }
  return { model: best!, scores };
}
