import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../store/database.js';
import { SqliteSharedGenerations } from '../store/shared-generations.js';
import { createKnowledgeService } from './knowledge-service.js';

const fixtures = join(import.meta.dirname, 'fixtures');
let workDir: string;
let knowledgeDir: string;
const databases: SqliteDatabase[] = [];

beforeEach(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'teller-knowledge-cluster-'));
  knowledgeDir = join(workDir, 'documents');
  await cp(fixtures, knowledgeDir, { recursive: true });
});
afterEach(async () => {
  for (const database of databases.splice(0)) database.close();
  await rm(workDir, { recursive: true, force: true });
});

/** One worker's knowledge service: same documents, data dir and database file as the others. */
async function workerKnowledge() {
  const database = openDatabase(join(workDir, 'data', 'teller.db'));
  databases.push(database);
  return createKnowledgeService({
    knowledgeDir,
    dataDir: join(workDir, 'data'),
    generations: new SqliteSharedGenerations(database),
  });
}

const day = '2026-06-01';

describe('knowledge shared by worker processes', () => {
  it('when one worker publishes a change then another answers from it after catching up', async () => {
    const publisher = await workerKnowledge();
    const follower = await workerKnowledge();
    const path = join(knowledgeDir, 'card-lost.md');
    const changed = (await readFile(path, 'utf8')).replace(
      'within five working days',
      'within two working days by tortoise courier',
    );
    await writeFile(path, changed);
    await publisher.reindexDocument(path);

    const before = await follower.retriever.search('tortoise courier', { filter: { day } });
    expect(before.map((passage) => passage.text).join(' ')).not.toContain('tortoise');
    await follower.ensureCurrent();
    const after = await follower.retriever.search('tortoise courier', { filter: { day } });
    expect(after[0]?.text).toContain('tortoise courier');
  });

  it('when one worker retires a document then another stops returning it', async () => {
    const publisher = await workerKnowledge();
    const follower = await workerKnowledge();
    const path = join(knowledgeDir, 'card-lost.md');
    expect((await follower.retriever.search('lost stolen card', { filter: { day } }))[0]?.documentId).toBe(
      'card-lost',
    );
    await writeFile(path, (await readFile(path, 'utf8')).replace('status: approved', 'status: retired'));
    await publisher.reindexDocument(path);
    await follower.ensureCurrent();
    const after = await follower.retriever.search('lost stolen card', { limit: 10, filter: { day } });
    expect(after.map((passage) => passage.documentId)).not.toContain('card-lost');
  });

  it('when nothing was published then catching up re-reads nothing', async () => {
    const follower = await workerKnowledge();
    const path = join(knowledgeDir, 'card-lost.md');
    // A file changed on disk without a publish is not picked up: only a publish bumps the counter.
    await writeFile(path, (await readFile(path, 'utf8')).replace('five working days', 'ninety days'));
    await follower.ensureCurrent();
    const hits = await follower.retriever.search('ninety days replacement', { filter: { day } });
    expect(hits.map((passage) => passage.text).join(' ')).not.toContain('ninety');
  });
});
