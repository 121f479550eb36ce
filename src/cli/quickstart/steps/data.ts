import { join } from 'node:path';
import {
  Reservoir,
  readBatches,
  readSchema,
  splitFile,
  writeTable,
  type NumberColumn,
} from '../../../core/data/index.js';
import { table } from '../../output.js';
import { vegaDataset } from '../datasets.js';
import type { QuickstartStep } from '../step.js';

/** Edges of the flight-delay histogram, in minutes. */
export const DELAY_EDGES = Array.from({ length: 17 }, (_, i) => -60 + i * 15);

/** What the data step leaves in `env.shared` for later steps. */
export interface QuickstartData {
  readonly source: string;
  readonly rows: number;
  readonly schema: readonly { name: string; type: string }[];
  readonly delayCounts: number[];
  readonly samplePath: string;
  readonly trainPath: string;
  readonly testPath: string;
  readonly sampleRows: number;
  readonly preview: readonly Record<string, unknown>[];
}

/**
 * Loads flights-3m.parquet (3 million real US flights) by streaming it through Mortar's columnar
 * reader once: counts rows, bins delays, keeps a seeded sample, then writes that sample and a
 * seeded 80/20 train/test split for the steps that follow.
 */
export const dataStep: QuickstartStep = {
  id: 'data',
  title: 'Load real data: 3 million flights (vega-datasets flights-3m.parquet)',
  async run(env) {
    const source = vegaDataset('flights-3m.parquet');
    const info = await readSchema(source);
    env.say(`    ${source}`);
    env.say(
      indent(
        table(
          ['column', 'type', 'nullable'],
          info.schema.map((f) => [f.name, f.type, f.nullable]),
        ),
      ),
    );

    const sampleRows = 20_000;
    const reservoir = new Reservoir(sampleRows, env.seed);
    const counts = new Array<number>(DELAY_EDGES.length - 1).fill(0);
    const lo = DELAY_EDGES[0] as number;
    const width = (DELAY_EDGES[1] as number) - lo;
    let rows = 0;
    const progress = env.ctx.progress('reading flights', info.numRows ?? 0, {
      unit: 'rows',
      quiet: env.quiet,
    });
    for await (const batch of readBatches(source)) {
      const delay = batch.column('delay') as NumberColumn;
      const v = delay.values;
      for (let i = 0; i < batch.numRows; i++) {
        const b = Math.floor(((v[i] as number) - lo) / width);
        if (b >= 0 && b < counts.length) counts[b]!++;
      }
      reservoir.offer(batch);
      rows += batch.numRows;
      progress.update(rows);
    }
    progress.stop();

    const sample = reservoir.result();
    const samplePath = join(env.workDir, 'flights-sample.parquet');
    await writeTable(samplePath, sample);
    const split = await splitFile(samplePath, env.workDir, {
      fractions: [0.8, 0.2],
      seed: env.seed,
    });
    const [train, test] = split.parts;
    const preview = sample.slice(0, 5);
    const previewRows: Record<string, unknown>[] = [...preview.rows()].map((r) => ({
      ...r,
      date:
        r['date'] instanceof Date
          ? r['date'].toISOString().slice(0, 16).replace('T', ' ')
          : r['date'],
    }));
    env.say(
      `    streamed ${rows.toLocaleString('en-US')} rows; a seeded sample of ${sample.numRows.toLocaleString('en-US')}:`,
    );
    env.say(
      indent(
        table(
          info.schema.map((f) => f.name),
          previewRows.map((r) => info.schema.map((f) => r[f.name])),
        ),
      ),
    );
    env.say(
      `    wrote ${samplePath}, split 80/20 into ${train?.path} (${train?.rows}) and ${test?.path} (${test?.rows})`,
    );

    const result: QuickstartData = {
      source,
      rows,
      schema: info.schema.map((f) => ({ name: f.name, type: f.type })),
      delayCounts: counts,
      samplePath,
      trainPath: train?.path ?? '',
      testPath: test?.path ?? '',
      sampleRows: sample.numRows,
      preview: previewRows,
    };
    env.shared.set('data', result);
    return {
      summary: `read ${rows.toLocaleString('en-US')} rows x ${info.schema.length} columns; sample of ${sample.numRows} split ${train?.rows}/${test?.rows}`,
      details: {
        source,
        rows,
        columns: info.schema.map((f) => `${f.name}:${f.type}`),
        sample: samplePath,
        train: result.trainPath,
        test: result.testPath,
      },
    };
  },
};

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
