import { z } from 'zod';

/**
 * A state-changing tool call waiting for the customer's "yes". Bound to the customer, the
 * conversation, the tool and a hash of its arguments, and valid for a few minutes only.
 */
export interface PendingAction {
  /** Random, unguessable id. */
  readonly id: string;
  readonly customerId: string;
  readonly conversationId: string;
  readonly tool: string;
  readonly arguments: Readonly<Record<string, unknown>>;
  readonly argumentsHash: string;
  /** The confirmation question's subject, e.g. "freeze your Visa debit card ending 4821". */
  readonly summary: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

/** A stored action's JSON, checked when read back (both backends keep it as text). */
export const pendingActionSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  conversationId: z.string(),
  tool: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  argumentsHash: z.string(),
  summary: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
});

/** Where pending actions wait. Single use: `take` removes what it returns. */
export interface PendingActionStore {
  save(action: PendingAction): Promise<void>;
  get(id: string): Promise<PendingAction | undefined>;
  /** The most recent pending action of a conversation, if any. */
  latestFor(conversationId: string): Promise<PendingAction | undefined>;
  delete(id: string): Promise<void>;
}

/** Process-local store: fine for one instance; a shared store is needed when scaling out. */
export class InMemoryPendingActionStore implements PendingActionStore {
  readonly #actions = new Map<string, PendingAction>();

  async save(action: PendingAction): Promise<void> {
    // Only one pending action per conversation: a new request replaces the older question.
    // Expired actions are dropped here too, so the map cannot grow without bound. An hour of
    // grace keeps a just-expired action around long enough to say "that has expired".
    const graceCutoff = new Date(Date.parse(action.createdAt) - 60 * 60 * 1000).toISOString();
    for (const [id, existing] of this.#actions) {
      if (existing.conversationId === action.conversationId || existing.expiresAt < graceCutoff)
        this.#actions.delete(id);
    }
    this.#actions.set(action.id, action);
  }

  async get(id: string): Promise<PendingAction | undefined> {
    return this.#actions.get(id);
  }

  async latestFor(conversationId: string): Promise<PendingAction | undefined> {
    let latest: PendingAction | undefined;
    for (const action of this.#actions.values()) {
      if (action.conversationId === conversationId && (!latest || action.createdAt >= latest.createdAt))
        latest = action;
    }
    return latest;
  }

  async delete(id: string): Promise<void> {
    this.#actions.delete(id);
  }
}
