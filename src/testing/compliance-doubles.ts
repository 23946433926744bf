import type { KnowledgeIndexer, PolicyReloader } from '../compliance/ports.js';

/** Records every re-index request and forwards it to a real indexer when one is given. */
export class RecordingKnowledgeIndexer implements KnowledgeIndexer {
  readonly calls: string[] = [];
  constructor(private readonly inner?: KnowledgeIndexer) {}

  async reindexDocument(documentPath: string): Promise<unknown> {
    this.calls.push(documentPath);
    return this.inner?.reindexDocument(documentPath);
  }
}

/** An indexer that always fails, to test that a failed re-index is reported and audited. */
export class FailingKnowledgeIndexer implements KnowledgeIndexer {
  async reindexDocument(): Promise<unknown> {
    throw new Error('index unavailable');
  }
}

/** Counts policy reloads. */
export class RecordingPolicyReloader implements PolicyReloader {
  reloads = 0;
  reloadPolicies(): void {
    this.reloads += 1;
  }
}
