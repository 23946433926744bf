import type { HandoffRecord } from '../store/handoff-queue.js';
import type { HandoffDecision } from '../turn/types.js';
import type { TurnDependencies, TurnInput } from './turn-dependencies.js';

/** What a turn that decided on a handoff may do about it. */
export type HandoffAdmission =
  | { readonly kind: 'open' }
  /** Over the limit, and this conversation already waits for a person: the message joins it. */
  | { readonly kind: 'joined'; readonly existing: HandoffRecord; readonly openedInWindow: number }
  /** Over the limit with nothing waiting here: a person follows up the customer's earlier request. */
  | { readonly kind: 'rate_limited'; readonly openedInWindow: number };

/**
 * Decides whether this turn may open one more handoff record. One customer asking for a person
 * in conversation after conversation would otherwise flood the agents' queue, so past the limit
 * no record is opened. Self-harm and threats (urgent) always reach a person, whatever the count.
 * Runs inside the turn's transaction, so the count and the insert it allows are written together;
 * the customer's admission lock keeps two hosts from both counting below the limit and both opening.
 */
export async function admitHandoff(
  dependencies: Pick<TurnDependencies, 'handoffQueue' | 'now' | 'handoffLimit'>,
  input: Pick<TurnInput, 'principal' | 'conversation'>,
  decision: HandoffDecision,
): Promise<HandoffAdmission> {
  if (decision.priority === 'urgent') return { kind: 'open' };
  const { count, windowSeconds } = dependencies.handoffLimit;
  await dependencies.handoffQueue.lockCustomerAdmissions(input.principal.subject);
  const since = new Date(dependencies.now().getTime() - windowSeconds * 1000);
  const openedInWindow = await dependencies.handoffQueue.countOpenedSince(input.principal.subject, since);
  if (openedInWindow < count) return { kind: 'open' };
  const existing = await dependencies.handoffQueue.activeForConversation(input.conversation.id);
  return existing ? { kind: 'joined', existing, openedInWindow } : { kind: 'rate_limited', openedInWindow };
}
