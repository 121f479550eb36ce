/** Lock-free (Hogwild!) parallel SGD for sparse models over SharedArrayBuffers. */
export { hogwildLogreg, type HogwildOptions, type HogwildResult } from './hogwild.js';
export { logregSgdPass, logregPredict, type SparseRows } from './sparse-logreg.js';
