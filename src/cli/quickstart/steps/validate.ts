import { join } from 'node:path';
import { NumberColumn, RecordBatch, readTable } from '../../../core/data/index.js';
import { MortarError } from '../../../core/errors.js';
import {
  inferSchema,
  profileBatch,
  profileFile,
  validate,
  validationReport,
  writeSchemaFile,
} from '../../../validation/index.js';
import type { QuickstartStep } from '../step.js';
import type { QuickstartData } from './data.js';

/**
 * Profiles the train split, infers a schema, validates the test split against both (clean: no
 * anomalies expected), then validates a deliberately corrupted copy (distances in metres, not
 * miles) to show an anomaly, and writes an HTML report of the corrupted batch.
 */
export const validateStep: QuickstartStep = {
  id: 'validate',
  title: 'Validate the test split against the train split (schema + drift), then a corrupted batch',
  async run(env) {
    const data = env.shared.get('data') as QuickstartData | undefined;
    if (!data) {
      throw new MortarError(
        'FAILED_PRECONDITION',
        'the validate step needs the data step; run with --steps data,validate',
      );
    }
    const reference = await profileFile(data.trainPath);
    const schema = inferSchema(reference);
    const schemaPath = join(env.workDir, 'schema.json');
    await writeSchemaFile(schemaPath, schema);
    const testProfile = await profileFile(data.testPath);
    const clean = validate(testProfile, { schema, reference });
    env.say(`    schema: ${schemaPath} (${schema.features.length} features)`);
    env.say(
      `    test split (${testProfile.rows} rows) vs train (${reference.rows} rows): ${clean.length} anomalies`,
    );

    const test = await readTable(data.testPath);
    const i = test.columnIndex('distance');
    const dist = test.columns[i] as NumberColumn;
    const corrupted = new RecordBatch(
      test.schema,
      test.numRows,
      test.columns.map((c, j) =>
        j === i
          ? new NumberColumn(
              dist.type,
              dist.values.map((v) => v * 1609.344),
              dist.valid,
            )
          : c,
      ),
    );
    const badProfile = profileBatch(corrupted);
    const bad = validate(badProfile, { schema, reference });
    for (const a of bad.slice(0, 3))
      env.say(`    corrupted (distance in metres): ${a.severity} ${a.feature} ${a.type}`);
    const reportPath = join(env.workDir, 'validation.html');
    await validationReport({
      title: 'Validation: test split with distance in metres',
      batch: badProfile,
      reference,
      anomalies: bad,
    }).write(reportPath);
    env.say(`    open ${reportPath}`);
    return {
      summary: `clean test split: ${clean.length} anomalies; corrupted batch: ${bad.length} anomalies`,
      details: {
        schema: schemaPath,
        validationReport: reportPath,
        cleanAnomalies: clean.length,
        corruptedAnomalies: bad.length,
        corruptedTypes: [...new Set(bad.map((a) => a.type))],
      },
    };
  },
};
