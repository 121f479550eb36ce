import { describe, expect, it } from 'vitest';
import { report } from './builder.js';
import type { Report } from './model.js';

describe('report builder', () => {
  it('builds the same object a literal would', () => {
    const built = report('Study', { subtitle: 'lr search' })
      .section(
        'Summary',
        (s) => s.kv({ trials: 40, best: 0.12 }).text('All good.').heading('Details', 4),
        'Forty trials.',
      )
      .section('Charts', (s) =>
        s.grid(2, (g) =>
          g
            .bar({
              title: 'Importance',
              categories: ['lr'],
              series: [{ name: 'importance', values: [1] }],
            })
            .histogram({ edges: [0, 1], series: [{ name: 'b', counts: [3] }], height: 200 }),
        ),
      )
      .build();
    const expected: Report = {
      title: 'Study',
      subtitle: 'lr search',
      sections: [
        {
          title: 'Summary',
          description: 'Forty trials.',
          blocks: [
            {
              kind: 'kv',
              items: [
                { label: 'trials', value: 40 },
                { label: 'best', value: 0.12 },
              ],
            },
            { kind: 'text', text: 'All good.' },
            { kind: 'heading', text: 'Details', level: 4 },
          ],
        },
        {
          title: 'Charts',
          blocks: [
            {
              kind: 'grid',
              columns: 2,
              blocks: [
                {
                  kind: 'chart',
                  title: 'Importance',
                  chart: {
                    type: 'bar',
                    categories: ['lr'],
                    series: [{ name: 'importance', values: [1] }],
                  },
                },
                {
                  kind: 'chart',
                  height: 200,
                  chart: { type: 'histogram', edges: [0, 1], series: [{ name: 'b', counts: [3] }] },
                },
              ],
            },
          ],
        },
      ],
    };
    expect(built).toEqual(expected);
  });

  it('returns snapshots that later additions do not change', () => {
    const b = report('T').section('A', (s) => s.text('a'));
    const first = b.build();
    b.section('B', (s) => s.text('b'));
    expect(first.sections).toHaveLength(1);
    expect(b.build().sections).toHaveLength(2);
  });

  it('renders through renderReport', () => {
    const html = report('Hello & bye')
      .section('S', (s) => s.table({ columns: [{ key: 'x' }], rows: [{ x: 1 }] }))
      .render();
    expect(html).toContain('<h1>Hello &amp; bye</h1>');
    expect(html).toContain('<td class="mr-right" data-v="1">1</td>');
  });
});
