import type { QuickstartStep } from '../step.js';
import { dataStep } from './data.js';
import { labelStep } from './label.js';
import { reportStep } from './report.js';
import { serveStep } from './serve.js';
import { trainStep } from './train.js';
import { tuneStep } from './tune.js';
import { validateStep } from './validate.js';

/** The quickstart's steps, in order. Each capability adds its step here as it lands. */
export const QUICKSTART_STEPS: readonly QuickstartStep[] = [
  dataStep,
  reportStep,
  validateStep,
  labelStep,
  trainStep,
  tuneStep,
  serveStep,
];
