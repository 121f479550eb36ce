import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MortarError } from '../../../core/errors.js';
import { readTable } from '../../../core/data/index.js';
import { createRun, finishRun } from '../../../core/store/index.js';
import { loadEngine } from '../../../core/tensor/index.js';
import {
  encodedWidth,
  exportOnnx,
  networkMetrics,
  parseLabel,
  saveModel,
  tabularDataset,
  trainTabular,
  verifyOnnx,
} from '../../../training/index.js';
import { table } from '../../output.js';
import type { QuickstartStep } from '../step.js';
import type { QuickstartData } from './data.js';

/** What the train step leaves in `env.shared` (`'model'`) for later steps. */
export interface QuickstartModel {
  readonly id: string;
  readonly onnxPath: string;
  readonly features: number;
  readonly metrics: Readonly<Record<string, number>>;
}

/**
 * Trains an MLP on the flights training split to predict "delayed more than 15 minutes" from
 * the departure time (hour, day of week, month), distance, origin and destination, records the
 * run and the model in the store, prints its test metrics, and exports it to ONNX verified in
 * onnxruntime-node.
 */
export const trainStep: QuickstartStep = {
  id: 'train',
  title: 'Train an MLP on the tensor engine (delay > 15 min), record it, export to ONNX',
  async run(env) {
    const data = env.shared.get('data') as QuickstartData | undefined;
    if (!data)
      throw new MortarError(
        'FAILED_PRECONDITION',
        'the train step needs the data step; run with --steps data,train',
      );
    const train = await readTable(data.trainPath);
    const test = await readTable(data.testPath);
    const engine = await loadEngine();
    const config = {
      epochs: 6,
      batchSize: 128,
      optimizer: { kind: 'adam', lr: 0.003 },
      model: { hidden: [64, 32] },
      maxCategories: 24,
    };
    const run = await createRun(env.store, {
      kind: 'train',
      name: 'quickstart mlp',
      params: { data: data.trainPath, label: 'delay>15', config },
    });
    const result = await trainTabular({
      kind: 'mlp',
      engine,
      train,
      trainSource: data.trainPath,
      label: parseLabel('delay>15'),
      config,
      seed: env.seed,
    });
    try {
      const { data: testData } = tabularDataset(test, result.inputs, 'drop', data.testPath);
      const metrics = networkMetrics(result.model, testData);
      let pos = 0;
      for (const v of testData.y) pos += v;
      const positives = pos / Math.max(1, testData.n);
      const majority = Math.max(positives, 1 - positives);
      const baseLogLoss = -(
        positives * Math.log(positives) +
        (1 - positives) * Math.log(1 - positives)
      );
      await saveModel(
        env.store,
        {
          format: 'mortar-model/1',
          id: run.id,
          family: 'network',
          kind: 'mlp',
          task: result.model.task,
          inputs: result.inputs,
          recipe: JSON.parse(JSON.stringify(result.model.recipe)),
          training: JSON.parse(JSON.stringify(result.config)),
          metrics,
          runId: run.id,
          createdAt: Date.now(),
          trainRows: result.trainRows,
          parameters: result.model.net.parameterCount,
        },
        { network: result.model.net.getWeights() },
      );
      await finishRun(env.store, run.id, 'completed', { model: run.id, metrics });
      const bytes = exportOnnx(result.model.net, {
        probabilities: 'softmax',
        metadata: { mortarModel: run.id, inputs: JSON.stringify(result.inputs) },
      });
      const onnxPath = join(env.workDir, 'flights-mlp.onnx');
      writeFileSync(onnxPath, bytes);
      const n = Math.min(256, testData.n);
      const check = await verifyOnnx(
        bytes,
        result.model.net,
        testData.x.subarray(0, n * testData.sampleShape[0]!),
        n,
      );
      if (!check.ok)
        throw new MortarError(
          'INTERNAL',
          `exported ONNX disagrees with Mortar by ${check.maxAbsDiff}`,
        );
      const width = encodedWidth(result.inputs.encoder);
      const last = result.history[result.history.length - 1];
      env.say(
        `    ${result.trainRows} training rows -> ${width} encoded features (date -> hour/day/month, distance, origin/destination one-hot); MLP ${width}-64-32-2, ${result.model.net.parameterCount} parameters`,
      );
      env.say(`    ${result.history.length} epochs, final training loss ${last?.loss.toFixed(4)}`);
      env.say(
        indent(
          table(
            ['test metric', 'value'],
            [
              ['accuracy', metrics['accuracy']?.toFixed(4)],
              ['majority-class baseline', majority.toFixed(4)],
              ['AUC (ranking delayed flights first)', metrics['auc']?.toFixed(4)],
              ['log-loss', metrics['logLoss']?.toFixed(4)],
              ['log-loss of the base rate alone', baseLogLoss.toFixed(4)],
            ],
          ),
        ),
      );
      env.say(
        `    model ${run.id} recorded; ONNX in ${onnxPath} (max |onnxruntime - Mortar| ${check.maxAbsDiff.toExponential(1)} on ${n} rows)`,
      );
      const shared: QuickstartModel = { id: run.id, onnxPath, features: width, metrics };
      env.shared.set('model', shared);
      return {
        summary: `MLP test AUC ${metrics['auc']?.toFixed(3)}, log-loss ${metrics['logLoss']?.toFixed(3)} (base rate ${baseLogLoss.toFixed(3)}); ONNX verified`,
        details: {
          model: run.id,
          onnx: onnxPath,
          metrics,
          majorityBaseline: majority,
          onnxMaxAbsDiff: check.maxAbsDiff,
        },
      };
    } finally {
      result.model.dispose();
    }
  },
};

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
