import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { createJsonLogger } from '../observability/logger.js';
import { writeVersionOneWordVectorCache } from '../testing/tiny-word-vectors.js';
import { chooseEmbedders } from './embedders.js';

describe('chooseEmbedders', () => {
  const directories: string[] = [];
  afterEach(() => {
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });

  function dataDirWithWordVectors(): string {
    const dataDir = mkdtempSync(join(tmpdir(), 'teller-embedders-'));
    directories.push(dataDir);
    writeVersionOneWordVectorCache(join(dataDir, 'models'), ['the', 'fee', 'card', 'overdraft'], 8);
    return dataDir;
  }

  it('when OpenAI is configured then its embedder (imported on demand) is chosen and word vectors still load', async () => {
    const config = loadConfig({
      DATA_DIR: dataDirWithWordVectors(),
      OPENAI_API_KEY: 'sk-test',
      LOG_LEVEL: 'silent',
    });
    const chosen = await chooseEmbedders(config, createJsonLogger('silent'));
    expect(chosen.embedder?.id).toMatch(/^openai:/);
    expect(chosen.embedder?.dimensions).toBe(1536);
    expect(chosen.wordVectors?.rankOf('fee')).toBe(1);
  });

  it('when nothing is configured then the word vectors are the embedder', async () => {
    const config = loadConfig({ DATA_DIR: dataDirWithWordVectors(), LOG_LEVEL: 'silent' });
    const chosen = await chooseEmbedders(config, createJsonLogger('silent'));
    expect(chosen.embedder).toBe(chosen.wordVectors);
    expect(chosen.embedder?.id).toMatch(/^word-vectors:/);
  });
});
