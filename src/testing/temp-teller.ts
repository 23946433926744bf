import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Config, loadConfig } from '../config/config.js';

/** The day tests pin the service clock to, so the demo bank and in-force documents are stable. */
export const TEST_NOW = () => new Date('2026-11-25T10:00:00Z');

/** The committed knowledge folder, found from this file so any working directory works. */
const KNOWLEDGE = fileURLToPath(new URL('../../knowledge', import.meta.url));

export interface TempTellerHome {
  readonly directory: string;
  readonly knowledgeDir: string;
  readonly dataDir: string;
  readonly config: Config;
  remove(): void;
}

/**
 * A throwaway home for a whole Teller: a temp directory with a copy of `knowledge/` (tests and
 * evals may publish or add documents there) and a config on embedded defaults pointing at it, with
 * `environment` on top. `remove()` deletes it.
 */
export function createTempTellerHome(
  prefix: string,
  environment: Record<string, string> = {},
): TempTellerHome {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  const knowledgeDir = join(directory, 'knowledge');
  const dataDir = join(directory, 'data');
  cpSync(KNOWLEDGE, knowledgeDir, { recursive: true });
  const config = loadConfig({
    DATA_DIR: dataDir,
    KNOWLEDGE_DIR: knowledgeDir,
    LOG_LEVEL: 'silent',
    ...environment,
  });
  return {
    directory,
    knowledgeDir,
    dataDir,
    config,
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}
