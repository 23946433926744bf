import { describe, expect, it } from 'vitest';
import type { Manifest } from '../classifier/model-manifest.js';
import { reproductionDifferences } from './reproduction-check.js';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

function manifestWith(metric: number, sha256: string): Manifest {
  return {
    version: 'v1',
    seed: 7,
    steps: [
      { name: 'intent-router', settings: { epochs: 8 }, inputs: [], metrics: { 'dev.accuracy': metric } },
    ],
    artifacts: [{ file: 'intent-router.json', sha256, bytes: 10, step: 'intent-router' }],
  };
}

describe('reproduction check', () => {
  it('when the rebuild has the recorded figures and hashes then nothing differs', () => {
    expect(reproductionDifferences(manifestWith(0.95, HASH_A), manifestWith(0.95, HASH_A))).toEqual([]);
  });

  it('when the same artifact now scores differently then the metric is named', () => {
    expect(reproductionDifferences(manifestWith(0.954, HASH_A), manifestWith(0.879, HASH_A))).toEqual([
      'intent-router dev.accuracy: recorded 0.954, rebuilt 0.879',
    ]);
  });

  it('when the model itself changed then its artifact hash is named', () => {
    expect(reproductionDifferences(manifestWith(0.95, HASH_A), manifestWith(0.95, HASH_B))).toEqual([
      `intent-router.json: recorded sha256 ${HASH_A}, rebuilt ${HASH_B}`,
    ]);
  });
});
