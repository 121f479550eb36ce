import { join } from 'node:path';
import { MortarError } from '../../../core/errors.js';
import { report } from '../../../core/report/index.js';
import type { QuickstartStep } from '../step.js';
import { DELAY_EDGES, type QuickstartData } from './data.js';

/** Writes a self-contained HTML report of what the quickstart found (open it in any browser). */
export const reportStep: QuickstartStep = {
  id: 'report',
  title: 'Write an HTML report (self-contained, works offline)',
  async run(env) {
    const data = env.shared.get('data') as QuickstartData | undefined;
    if (!data) {
      throw new MortarError(
        'FAILED_PRECONDITION',
        'the report step needs the data step; run with --steps data,report',
      );
    }
    const path = join(env.workDir, 'report.html');
    const onTime = data.delayCounts.slice(0, 5).reduce((a, b) => a + b, 0);
    const binned = data.delayCounts.reduce((a, b) => a + b, 0);
    await report('Mortar quickstart', {
      subtitle: `flights-3m.parquet from vega-datasets, seed ${env.seed}`,
      generatedAt: new Date().toISOString(),
    })
      .section('Data', (s) =>
        s
          .kv([
            { label: 'rows', value: data.rows },
            { label: 'columns', value: data.schema.length },
            { label: 'sample', value: data.sampleRows, hint: 'seeded reservoir sample' },
            {
              label: 'on time or early',
              value: binned ? onTime / binned : null,
              format: 'percent',
              hint: 'delay <= 15 min',
            },
          ])
          .table({
            title: 'Schema',
            columns: [{ key: 'name', label: 'column' }, { key: 'type' }],
            rows: data.schema,
          })
          .histogram({
            title: 'Arrival delay (minutes), all flights',
            edges: DELAY_EDGES,
            series: [{ name: 'flights', counts: data.delayCounts }],
            xLabel: 'delay (min)',
          })
          .table({
            title: 'A few sampled rows',
            columns: data.schema.map((f) => ({ key: f.name })),
            rows: data.preview as never,
          }),
      )
      .write(path);
    env.say(`    open ${path}`);
    return { summary: `wrote ${path}`, details: { report: path } };
  },
};
