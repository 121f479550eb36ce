import type { QuickstartStep } from '../step.js';
import { dataStep } from './data.js';
import { reportStep } from './report.js';

/** The quickstart's steps, in order. Each capability adds its step here as it lands. */
export const QUICKSTART_STEPS: readonly QuickstartStep[] = [dataStep, reportStep];
