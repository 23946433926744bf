import { isHonestDontKnow } from '../text/honest-decline.js';
import type { Draft, GenerationInput, GenerationStage } from '../turn/stages.js';
import type { Citation, ToolOutcome } from '../turn/types.js';
import type { ChatMessage, ChatModel } from './chat-model.js';
import { GroundedComposer } from './grounded-composer.js';
import { buildUserPrompt, SYSTEM_PROMPT } from './prompts.js';

/**
 * Lets the model call account tools within a bounded loop; implemented by the tools module, which
 * authorizes every call against the turn's principal (never against model arguments).
 */
export type ToolCallingLoop = (input: {
  readonly model: ChatModel;
  readonly messages: readonly ChatMessage[];
  readonly generation: GenerationInput;
  /** Aborted when the turn's model budget runs out: no further model round or tool call may start. */
  readonly signal?: AbortSignal;
}) => Promise<{ readonly content: string; readonly toolOutcomes: readonly ToolOutcome[] }>;

/**
 * Generation with a chat model; output rails check whatever it writes. Two kinds of answer are
 * never left to the model: a confirmation question (or what became of a confirmed action) is
 * stated exactly as the model-free path states it, so the customer always sees what they are
 * saying yes to; and an empty answer (empty content, a loop stopped at its limits) falls back to
 * the grounded composer instead of reaching the customer as an empty "answer".
 */
export class LlmGenerator implements GenerationStage {
  readonly #model: ChatModel;
  readonly #toolLoop: ToolCallingLoop | undefined;
  readonly #fallback: GenerationStage;

  constructor({
    model,
    toolLoop,
    fallback = new GroundedComposer(),
  }: {
    model: ChatModel;
    toolLoop?: ToolCallingLoop;
    /** Writes the deterministic answers above; the grounded composer unless told otherwise. */
    fallback?: GenerationStage;
  }) {
    this.#model = model;
    this.#toolLoop = toolLoop;
    this.#fallback = fallback;
  }

  async generate(input: GenerationInput, signal?: AbortSignal): Promise<Draft> {
    if (input.toolOutcomes.some(isAboutConfirmation)) return this.#fallback.generate(input);
    const history: ChatMessage[] = input.history.slice(-8).map((message) => ({
      role: message.author === 'customer' ? 'user' : 'assistant',
      content: message.text,
    }));
    const messages: ChatMessage[] = [
      { role: 'system', content: SYSTEM_PROMPT },
      ...history,
      { role: 'user', content: buildUserPrompt(input.text, input.passages, input.toolOutcomes) },
    ];
    const { content, toolOutcomes } = this.#toolLoop
      ? await this.#toolLoop({ model: this.#model, messages, generation: input, ...(signal && { signal }) })
      : {
          content: (await this.#model.complete({ messages, ...(signal && { signal }) })).content,
          toolOutcomes: [],
        };

    if (toolOutcomes.some(isAboutConfirmation) || content.trim() === '') {
      // The model's own tool calls are facts of this turn too: the composer states them, and
      // they travel with the draft so the turn's outcome (e.g. confirmation_required) is right.
      const draft = await this.#fallback.generate({
        ...input,
        toolOutcomes: [...input.toolOutcomes, ...toolOutcomes],
      });
      return { ...draft, toolOutcomes };
    }
    const { text, citations } = citedPassages(content.trim(), input.passages);
    // The prompt asks the model to say it does not have the information when the sources lack
    // it: such a reply, citing nothing and resting on no tool, is a decline like the composer's,
    // so turn records and knowledge gaps count it as one instead of as small talk.
    const declined =
      citations.length === 0 &&
      input.toolOutcomes.length === 0 &&
      toolOutcomes.length === 0 &&
      isHonestDontKnow(text);
    return {
      text,
      citations,
      confidence:
        input.passages.length > 0 || input.toolOutcomes.length > 0 || toolOutcomes.length > 0 ? 0.8 : 0.3,
      toolOutcomes,
      generator: this.#model.name,
      ...(declined && { declined: true }),
    };
  }
}

/** A question waiting for the customer's yes, or the result of their answer to one. */
function isAboutConfirmation(outcome: ToolOutcome): boolean {
  return outcome.status === 'needs_confirmation' || outcome.confirmation !== undefined;
}

/**
 * Citations are taken from `[n]` markers that point at a real source (the n-th passage of the
 * prompt), and the markers are renumbered to point into the citation list, as the grounded
 * composer's do: `[k]` is the k-th citation, so output rails and customers read them one way.
 * Invented numbers are dropped from the text, so a sentence cannot borrow a citation it lacks.
 */
function citedPassages(
  content: string,
  passages: GenerationInput['passages'],
): { text: string; citations: Citation[] } {
  const citations: Citation[] = [];
  const text = content.replace(/\s?\[(\d{1,2})\]/g, (marker, number: string) => {
    const passage = passages[Number(number) - 1];
    if (!passage) return '';
    let position = citations.findIndex((citation) => citation.documentId === passage.documentId);
    if (position < 0) {
      citations.push({
        documentId: passage.documentId,
        title: passage.title,
        version: passage.version,
        section: passage.section,
      });
      position = citations.length - 1;
    }
    return `${marker.startsWith(' ') ? ' ' : ''}[${position + 1}]`;
  });
  return { text, citations };
}
