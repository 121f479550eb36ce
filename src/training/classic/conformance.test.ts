import { classicModelConformance } from '../../testing/classic-conformance.js';
import { Rng } from '../../core/rng.js';
import { CLASSIC_MODELS, CsrMatrix, DenseMatrix, type ClassicDataset } from './index.js';

const rng = new Rng(3);
const n = 200;
const users = Array.from({ length: n }, () => rng.int(0, 19));
const items = Array.from({ length: n }, () => `item${rng.int(0, 29)}`);
const ratings: ClassicDataset = {
  kind: 'ratings',
  users,
  items,
  ratings: users.map((u, k) => 1 + ((u + Number(items[k]!.slice(4))) % 5)),
};
const xs = Array.from({ length: n * 4 }, () => rng.normal());
const features: ClassicDataset = {
  kind: 'features',
  x: new DenseMatrix(n, 4, Float64Array.from(xs)),
  y: Array.from({ length: n }, (_, i) =>
    xs[i * 4]! - xs[i * 4 + 1]! + 0.5 * rng.normal() > 0 ? 1 : 0,
  ),
};
const docs: number[][] = [];
for (let d = 0; d < 40; d++) {
  const base = d % 2 === 0 ? 0 : 10;
  docs.push(Array.from({ length: 30 }, () => base + rng.int(0, 9)));
}
const corpus: ClassicDataset = {
  kind: 'corpus',
  docs: CsrMatrix.fromTriplets(
    docs.length,
    20,
    docs.flatMap((ws, d) => ws.map(() => d)),
    docs.flat(),
    docs.flat().map(() => 1),
  ),
};

classicModelConformance(CLASSIC_MODELS.mf!, {
  data: ratings,
  wrongData: features,
  config: { epochs: 3, rank: 4 },
});
classicModelConformance(CLASSIC_MODELS.lasso!, {
  data: features,
  wrongData: corpus,
  config: { epochs: 50, alpha: 0.01, pathLength: 4 },
});
classicModelConformance(CLASSIC_MODELS.logreg!, {
  data: features,
  wrongData: ratings,
  config: { epochs: 20 },
});
classicModelConformance(CLASSIC_MODELS.lda!, {
  data: corpus,
  wrongData: ratings,
  config: { epochs: 5, topics: 2, foldInIterations: 4 },
});
