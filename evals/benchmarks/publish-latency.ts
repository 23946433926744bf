/**
 * Measures how long a publication takes end to end (save draft → approve → publish, including the
 * atomic write and the re-index) over a temporary copy of a documents folder, with the real
 * sparse-only knowledge service. The folder given is only read.
 *
 *   npx tsx evals/benchmarks/publish-latency.ts [documentsDir] [runs]
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createComplianceService } from '../../src/composition/register-compliance-routes.js';
import { createKnowledgeService } from '../../src/knowledge/knowledge-service.js';
import { SqliteAuditLog } from '../../src/store/audit-log.js';
import { openDatabase } from '../../src/store/database.js';

export interface PublishLatency {
  readonly documents: number;
  readonly chunks: number;
  readonly runs: number;
  readonly medianMilliseconds: number;
  readonly maxMilliseconds: number;
}

/** Publishes one document `runs` times (each with a new sentence) and reports the latency. */
export async function measurePublishLatency(documentsDir: string, runs = 10): Promise<PublishLatency> {
  const root = mkdtempSync(join(tmpdir(), 'teller-publish-latency-'));
  try {
    const copy = join(root, 'documents');
    cpSync(documentsDir, copy, { recursive: true });
    mkdirSync(join(root, 'policies'));
    const database = openDatabase(':memory:');
    // alternative, not shipped: sparse-only, so the figure is the publish workflow's own cost.
    const knowledge = await createKnowledgeService({ knowledgeDir: copy });
    const service = createComplianceService({
      database,
      audit: new SqliteAuditLog(database),
      documentsDir: copy,
      policiesDir: join(root, 'policies'),
      indexer: knowledge,
    });
    const [target] = (await service.list('document')).filter((item) => item.status === 'approved');
    if (!target) throw new Error(`no approved document in ${documentsDir}`);
    const timings: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      const published = (await service.get('document', target.id)).published;
      if (!published) throw new Error(`${target.id} has no published file`);
      const draft = published.text
        .replace(/^status: approved$/m, 'status: draft')
        .replace(/^approved_by: .*\n/m, '')
        .replace(/\n*$/, `\n\nThis sentence was added by run ${run}.\n`);
      const started = performance.now();
      const saved = await service.saveDraft('document', target.id, draft, 0, { actor: 'author' });
      if (!saved.ok) throw new Error(`draft refused: ${saved.errors[0]?.message}`);
      await service.approve('document', target.id, { actor: 'approver' }, saved.draft.revision);
      const result = await service.publish('document', target.id, { actor: 'approver' });
      if (!result.applied) throw new Error('the publication was not re-indexed');
      timings.push(performance.now() - started);
    }
    timings.sort((left, right) => left - right);
    database.close();
    return {
      documents: knowledge.corpus().documents.length,
      chunks: knowledge.corpus().chunks.length,
      runs,
      medianMilliseconds: Math.round(timings[Math.floor(runs / 2)] ?? 0),
      maxMilliseconds: Math.round(timings.at(-1) ?? 0),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [directory = 'knowledge/documents', runs = '10'] = process.argv.slice(2);
  console.log(await measurePublishLatency(resolve(directory), Number(runs)));
}
