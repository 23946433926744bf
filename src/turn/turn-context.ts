/**
 * Work that several stages of one turn share travels here, in an object `runTurn` creates once and
 * hands to the stages, never in caches keyed on the stages' inputs: what a stage may reuse is
 * visible in its input type, and it lives exactly as long as the turn.
 */

import { basicNormalize } from '../text/normalize.js';
import { type PreparedText, prepareText } from '../text/pattern-set.js';
import type { Principal } from './types.js';

/**
 * The customer's message of one turn, already redacted, with the forms the input rails and the
 * handoff triggers match against. Each form is worked out on first use and kept on this object, so
 * every reader of one turn shares a single normalisation; a message no rail reads costs nothing.
 */
export class CustomerMessage {
  /** Redacted text: typed tokens such as `<CREDIT_CARD_1>` stand in for PII. */
  readonly text: string;
  #normalized: string | undefined;
  #prepared: PreparedText | undefined;

  constructor(text: string) {
    this.text = text;
  }

  /** The detection-normalised text (see `basicNormalize`): what policy patterns are matched on. */
  get normalized(): string {
    this.#normalized ??= basicNormalize(this.text);
    return this.#normalized;
  }

  /** `normalized` prepared for case-insensitive policy patterns (with its exact lower-cased copy). */
  get prepared(): PreparedText {
    this.#prepared ??= prepareText(this.normalized);
    return this.#prepared;
  }
}

/** One turn as every stage sees it: who speaks, in which conversation, and what they said. */
export interface TurnContext {
  readonly conversationId: string;
  readonly requestId: string;
  readonly principal: Principal;
  readonly message: CustomerMessage;
}

/** The context of one turn, from its redacted customer text. */
export function createTurnContext(turn: {
  readonly conversationId: string;
  readonly requestId: string;
  readonly principal: Principal;
  readonly redactedText: string;
}): TurnContext {
  return {
    conversationId: turn.conversationId,
    requestId: turn.requestId,
    principal: turn.principal,
    message: new CustomerMessage(turn.redactedText),
  };
}
