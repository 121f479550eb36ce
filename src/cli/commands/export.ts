import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { MortarError } from '../../core/errors.js';
import { readTable } from '../../core/data/index.js';
import { Rng } from '../../core/rng.js';
import { loadEngine } from '../../core/tensor/index.js';
import { exportOnnx, openModel, tabularDataset, verifyOnnx } from '../../training/index.js';
import type { CliContext } from '../context.js';

interface ExportFlags {
  onnx?: string;
  data?: string;
  verify?: boolean;
  json?: boolean;
}

/** `mortar export MODEL --onnx out.onnx`: writes a trained network as ONNX and checks it in onnxruntime. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .description(
      'export a trained network model as ONNX, verified against Mortar in onnxruntime-node',
    )
    .argument('<model>', 'model id (printed by mortar train)')
    .requiredOption('--onnx <file>', 'where to write the .onnx file')
    .option('--data <file>', 'rows to verify with (default: 64 seeded random encoded inputs)')
    .option('--no-verify', 'skip running the exported model in onnxruntime-node')
    .option('--json', 'print the result as JSON')
    .action(async (id: string, flags: ExportFlags) => {
      const store = await ctx.openStore();
      try {
        const opened = await openModel(store, id, await loadEngine());
        if (opened.family !== 'network') {
          throw new MortarError(
            'UNSUPPORTED',
            `model ${id} is a ${opened.artifact.kind} (classic) model; ONNX export covers network models (mlp, cnn, logreg, softmax, linear)`,
          );
        }
        try {
          const net = opened.model.net;
          const task = opened.model.task;
          const bytes = exportOnnx(net, {
            name: `mortar-${opened.artifact.kind}-${id}`,
            probabilities:
              task === 'classification' ? 'softmax' : task === 'binary' ? 'sigmoid' : null,
            metadata: {
              mortarModel: id,
              kind: opened.artifact.kind,
              task,
              inputs: JSON.stringify(opened.inputs),
            },
          });
          const out = resolve(ctx.cwd, flags.onnx as string);
          writeFileSync(out, bytes);
          let verification = null;
          if (flags.verify !== false) {
            let x: Float32Array;
            let n: number;
            if (flags.data) {
              const { data } = tabularDataset(
                await readTable(resolve(ctx.cwd, flags.data)),
                opened.inputs,
                'drop',
                flags.data,
              );
              n = Math.min(256, data.n);
              x = data.x.subarray(0, n * data.sampleShape.reduce((a, b) => a * b, 1));
            } else {
              n = 64;
              const size = net.inputShape.reduce((a, b) => a * b, 1);
              const rng = new Rng(1);
              x = Float32Array.from({ length: n * size }, () => rng.normal());
            }
            verification = await verifyOnnx(bytes, net, x, n);
            if (!verification.ok) {
              throw new MortarError(
                'INTERNAL',
                `the exported ONNX model disagrees with Mortar by up to ${verification.maxAbsDiff} (tolerance ${verification.tolerance}); ${out} was written but should not be used`,
              );
            }
          }
          if (flags.json) ctx.out.json({ model: id, onnx: out, bytes: bytes.length, verification });
          else {
            ctx.out.line(
              `wrote ${out} (${bytes.length} bytes, ONNX opset 20; input "input" [batch,${net.inputShape.join(',')}], output "output"${task === 'regression' ? '' : ' and "probabilities"'})`,
            );
            if (verification)
              ctx.out.line(
                `verified in onnxruntime-node on ${verification.samples} rows: max |difference| ${verification.maxAbsDiff.toExponential(2)} (<= ${verification.tolerance})`,
              );
          }
        } finally {
          opened.model.dispose();
        }
      } finally {
        await store.close();
      }
    });
}
