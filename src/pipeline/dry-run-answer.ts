/**
 * Answers a question the way a turn would, without a conversation: routing, retrieval of approved
 * in-force passages and generation, and nothing written anywhere (no message, no audit record,
 * no turn record, no tool). Used to recheck a knowledge gap's questions after a document is
 * published.
 */
import type { Principal } from '../turn/types.js';
import type { TurnDependencies } from './turn-dependencies.js';

export interface DryRunAnswer {
  /** True when the generator answered from approved documents, with citations. */
  readonly answered: boolean;
  /** `documentId@version` of each cited document. */
  readonly citations: readonly string[];
}

/** Who a dry run acts as: nobody's account, so no tool can read one. */
const DRY_RUN_PRINCIPAL: Principal = { subject: 'knowledge-gap-recheck', roles: [], stepUp: false };

export async function dryRunAnswer(
  dependencies: Pick<TurnDependencies, 'router' | 'retrieval' | 'generation' | 'now'>,
  question: string,
): Promise<DryRunAnswer> {
  const route = await dependencies.router.route(question, []);
  // A tool question is about an account, not a document: nothing to recheck.
  if (route.kind === 'tool') return { answered: false, citations: [] };
  const day = dependencies.now().toISOString().slice(0, 10);
  const retrieval = await dependencies.retrieval.search(question, {
    day,
    ...(route.topic && { topic: route.topic }),
  });
  const draft = await dependencies.generation.generate({
    principal: DRY_RUN_PRINCIPAL,
    conversationId: 'dry-run',
    requestId: 'dry-run',
    text: question,
    history: [],
    route,
    passages: retrieval.passages,
    toolOutcomes: [],
  });
  const citations = [
    ...new Set(draft.citations.map((citation) => `${citation.documentId}@${citation.version}`)),
  ];
  return { answered: draft.declined !== true && citations.length > 0, citations };
}
