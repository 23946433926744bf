import { existsSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root, found from this file's location so scripts work from any working directory. */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Where the shared public datasets live: an explicit directory when given, otherwise
 * `../shared/datasets` beside the project root. Returns undefined when absent, so suites can skip
 * with a clear message instead of failing.
 */
export function resolveDatasetsDir(explicit?: string): string | undefined {
  const candidate = explicit ? resolve(explicit) : resolve(projectRoot, '..', 'shared', 'datasets');
  return existsSync(candidate) ? candidate : undefined;
}

/**
 * Dataset folders handed out by `datasetPath` since tracking began. The eval runner resets it
 * before each suite and reads it afterwards, so every report lists (and fingerprints) the
 * datasets a suite actually opened without the suite having to declare them.
 */
const datasetsUsed = new Map<string, string>();

/** Path of one dataset folder, or undefined when it is not present. */
export function datasetPath(datasetsDir: string | undefined, name: string): string | undefined {
  if (!datasetsDir) return undefined;
  const path = resolve(datasetsDir, name);
  if (!existsSync(path)) return undefined;
  recordDatasetUse(datasetsDir, path);
  return path;
}

/**
 * Records that a suite read a dataset folder (or a file inside one) it located without
 * `datasetPath`, so the run's provenance still lists it.
 */
export function recordDatasetUse(datasetsDir: string, path: string): void {
  const inside = relative(datasetsDir, path);
  const folder = inside.split(sep)[0];
  if (!folder || folder.startsWith('..')) return;
  datasetsUsed.set(folder, resolve(datasetsDir, folder));
}

/** Forgets recorded dataset use; called by the runner before each suite. */
export function resetDatasetTracking(): void {
  datasetsUsed.clear();
}

/** Dataset folders recorded since the last reset, as name → absolute path, sorted by name. */
export function datasetsUsedSinceReset(): ReadonlyArray<{ readonly name: string; readonly path: string }> {
  return [...datasetsUsed.entries()]
    .sort(([left], [right]) => left.localeCompare(right))
    .map(([name, path]) => ({ name, path }));
}
