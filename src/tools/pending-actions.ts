import { createHash, randomUUID } from 'node:crypto';

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

/** JSON with sorted keys, so equal arguments hash equally whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Binds a tool name and its arguments into one digest. */
export function hashToolArguments(tool: string, args: unknown): string {
  return createHash('sha256')
    .update(`${tool}\n${canonicalJson(args)}`)
    .digest('hex');
}

/** Creates a pending action valid for `ttlMs` from `now`. */
export function createPendingAction(input: {
  customerId: string;
  conversationId: string;
  tool: string;
  arguments: Record<string, unknown>;
  summary: string;
  now: Date;
  ttlMs: number;
}): PendingAction {
  return {
    id: `pa_${randomUUID()}`,
    customerId: input.customerId,
    conversationId: input.conversationId,
    tool: input.tool,
    arguments: input.arguments,
    argumentsHash: hashToolArguments(input.tool, input.arguments),
    summary: input.summary,
    createdAt: input.now.toISOString(),
    expiresAt: new Date(input.now.getTime() + input.ttlMs).toISOString(),
  };
}

const confirmWords =
  /^(?:yes|yeah|yep|yup|ya|y|sure|ok|okay|confirm(?:ed)?|correct|go ahead|do it|please do|please|absolutely|definitely|that'?s right|right)\b/;
const declineWords = /^(?:no|nope|nah|n|cancel|stop|don'?t|do not|never ?mind|wait|hold on|not now)\b/;
const negationInside = /\b(?:no|not|don'?t|do not|cancel|stop|wait|never ?mind)\b/;

/**
 * Reads a customer's reply to a confirmation question. Conservative on purpose: only a reply
 * that starts with a clear yes and contains no negation confirms ("yes freeze it" confirms,
 * "yes, no wait" does not).
 */
export function classifyConfirmationReply(text: string): 'confirm' | 'decline' | 'unclear' {
  const normalised = text
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/[^a-z0-9' ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (normalised.length === 0 || normalised.length > 80) return 'unclear';
  if (declineWords.test(normalised)) return 'decline';
  if (confirmWords.test(normalised)) return negationInside.test(normalised) ? 'unclear' : 'confirm';
  return 'unclear';
}
