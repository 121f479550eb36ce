// The layering rule (docs/ARCHITECTURE.md) is enforced by eslint's no-restricted-imports in
// eslint.config.js. These cases prove the rule fires, so `npm run lint` fails CI on a violation.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Probe files don't exist on disk, so lint them without type information.
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false, project: null } },
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
});

async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  const fatal = result?.messages.find((m) => m.fatal);
  if (fatal) throw new Error(`eslint could not lint the probe: ${fatal.message}`);
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

describe('layering rule', () => {
  it('forbids a subsystem importing a sibling', async () => {
    const msgs = await violations(
      'src/tuning/layer-probe.ts',
      "export { x } from '../serving/index.js';\n",
    );
    expect(msgs.join('\n')).toMatch(/may import only core/);
  });

  it('forbids core importing upward', async () => {
    const msgs = await violations(
      'src/core/layer-probe.ts',
      "export { x } from '../labeling/index.js';\n",
    );
    expect(msgs.join('\n')).toMatch(/core imports nothing above it/);
    const deep = await violations(
      'src/core/store/layer-probe.ts',
      "export { x } from '../../http/app.js';\n",
    );
    expect(deep.length).toBe(1);
  });

  it('forbids http importing cli but allows subsystems to import core', async () => {
    expect(
      await violations('src/http/layer-probe.ts', "export { x } from '../cli/main.js';\n"),
    ).toHaveLength(1);
    expect(
      await violations('src/tuning/layer-probe.ts', "export { x } from '../core/errors.js';\n"),
    ).toHaveLength(0);
    expect(
      await violations('src/cli/layer-probe.ts', "export { x } from '../tuning/index.js';\n"),
    ).toHaveLength(0);
  });
});
