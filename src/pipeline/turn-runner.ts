import { runTurn, type TurnDependencies, type TurnInput } from './run-turn.js';
import type { TurnResult } from './types.js';

/** Runs turns; the server depends on this, not on the stages behind it. */
export interface TurnRunner {
  run(input: TurnInput): Promise<TurnResult>;
}

/**
 * Serializes turns per conversation: two messages sent at once to one conversation run one after
 * the other, so history, confirmations and handoff state are never read half-written.
 */
export function createTurnRunner(dependencies: TurnDependencies): TurnRunner {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run(input) {
      const key = input.conversation.id;
      const previous = tails.get(key) ?? Promise.resolve();
      // Re-read the conversation once it is our turn: the previous turn may have handed it off.
      const next = previous.then(() =>
        runTurn(dependencies, {
          ...input,
          conversation: dependencies.conversations.find(key) ?? input.conversation,
        }),
      );
      const tail = next.catch(() => undefined);
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return next;
    },
  };
}
