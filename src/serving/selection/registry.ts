import { MortarError } from '../../core/errors.js';
import type { JsonValue } from '../../core/json.js';
import type { Bandit } from './bandit.js';
import { EpsilonGreedy } from './epsilon-greedy.js';
import { Exp3 } from './exp3.js';
import { Exp4 } from './exp4.js';
import { Split } from './split.js';
import { Ucb } from './ucb.js';

type BanditFactory = (arms: number, config: never) => Bandit;

const FACTORIES: Readonly<Record<string, BanditFactory>> = {
  exp3: (n, c) => new Exp3(n, c),
  exp4: (n, c) => new Exp4(n, c),
  'epsilon-greedy': (n, c) => new EpsilonGreedy(n, c),
  ucb: (n, c) => new Ucb(n, c),
  split: (n, c) => new Split(n, c),
};

/** The selection policy kinds: exp3, exp4 (ensemble), epsilon-greedy, ucb, split (canary/A-B). */
export const BANDIT_KINDS = Object.keys(FACTORIES).sort();

/** Builds the bandit `kind` over `arms` members from its JSON config. */
export function createBandit(kind: string, arms: number, config: JsonValue = {}): Bandit {
  const f = FACTORIES[kind];
  if (!f) {
    throw new MortarError(
      'INVALID_CONFIG',
      `unknown selection policy "${kind}"; known: ${BANDIT_KINDS.join(', ')}`,
      { details: { kind, known: BANDIT_KINDS } },
    );
  }
  try {
    return f(arms, config as never);
  } catch (e) {
    if (e instanceof MortarError) throw e;
    throw new MortarError(
      'INVALID_CONFIG',
      `selection policy "${kind}": invalid config ${JSON.stringify(config)} (${(e as Error).message})`,
      { details: { kind }, cause: e },
    );
  }
}
