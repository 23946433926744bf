import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
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

/** Path of one dataset folder, or undefined when it is not present. */
export function datasetPath(datasetsDir: string | undefined, name: string): string | undefined {
  if (!datasetsDir) return undefined;
  const path = resolve(datasetsDir, name);
  return existsSync(path) ? path : undefined;
}
