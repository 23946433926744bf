/**
 * `npm run train -- --check`: a rebuild reproduces a models folder when every rebuilt step has
 * the recorded metrics and every artifact it wrote has the recorded SHA-256. The training code
 * can drift from the committed artifacts in two ways, and each shows here: the model changes
 * (an artifact hash differs), or the code that scores it changes (a metric differs while the
 * artifact is the same, as when a routing rule began setting dispute questions aside).
 */
import type { Manifest } from '../classifier/model-manifest.js';

/** What differs between the recorded manifest and a rebuild, one line each; empty when it reproduces. */
export function reproductionDifferences(recorded: Manifest, rebuilt: Manifest): string[] {
  const differences: string[] = [];
  for (const step of rebuilt.steps) {
    const before = recorded.steps.find((candidate) => candidate.name === step.name);
    if (!before) {
      differences.push(`${step.name}: not in the recorded manifest`);
      continue;
    }
    const metrics = new Set([...Object.keys(before.metrics), ...Object.keys(step.metrics)]);
    for (const metric of [...metrics].sort()) {
      const was = before.metrics[metric];
      const now = step.metrics[metric];
      if (was !== now)
        differences.push(`${step.name} ${metric}: recorded ${was ?? 'none'}, rebuilt ${now ?? 'none'}`);
    }
    if (JSON.stringify(before.settings) !== JSON.stringify(step.settings))
      differences.push(
        `${step.name} settings: recorded ${JSON.stringify(before.settings)}, rebuilt ${JSON.stringify(step.settings)}`,
      );
    for (const artifact of rebuilt.artifacts.filter((candidate) => candidate.step === step.name)) {
      const was = recorded.artifacts.find((candidate) => candidate.file === artifact.file);
      if (was?.sha256 !== artifact.sha256)
        differences.push(
          `${artifact.file}: recorded sha256 ${was?.sha256 ?? 'none'}, rebuilt ${artifact.sha256}`,
        );
    }
  }
  return differences;
}
