import type { HandoffSummary } from '../turn/handoff-sink.js';
import type {
  Draft,
  GenerationInput,
  GenerationStage,
  HandoffInput,
  HandoffStage,
  InputRailsStage,
  OutputRailsInput,
  OutputRailsStage,
  PrivacyStage,
  RailsInput,
  RetrievalStage,
  Route,
  RouterStage,
  ToolRunInput,
  ToolStage,
} from '../turn/stages.js';
import type { GuardrailVerdict, HandoffDecision, RetrievedPassage, ToolOutcome } from '../turn/types.js';

/**
 * Test doubles for the turn stages, for orchestration tests of `runTurn` and the routes. Each is
 * named for what it is; none of them is used outside tests.
 */

/** Replaces e-mail addresses with per-conversation tokens; enough to test that raw text never leaks. */
export class EmailOnlyPrivacyFake implements PrivacyStage {
  readonly #vaults = new Map<string, Map<string, string>>();

  async redactMessage(conversationId: string, text: string) {
    const vault = this.#vaults.get(conversationId) ?? new Map<string, string>();
    this.#vaults.set(conversationId, vault);
    const entities: string[] = [];
    const redactedText = text.replace(/[\w.+-]+@[\w-]+\.[\w.]+/g, (email) => {
      entities.push('EMAIL_ADDRESS');
      const existing = [...vault.entries()].find(([, value]) => value === email)?.[0];
      if (existing) return existing;
      const token = `<EMAIL_ADDRESS_${vault.size + 1}>`;
      vault.set(token, email);
      return token;
    });
    return { redactedText, entities };
  }

  redactForLog(text: string): string {
    return text.replace(/[\w.+-]+@[\w-]+\.[\w.]+/g, '<EMAIL_ADDRESS>');
  }

  async findForeignPii(_conversationId: string, text: string): Promise<readonly string[]> {
    return /[\w.+-]+@[\w-]+\.[\w.]+/.test(text) ? ['EMAIL_ADDRESS'] : [];
  }

  async restoreForCustomer(conversationId: string, text: string): Promise<string> {
    const vault = this.#vaults.get(conversationId);
    return vault ? text.replace(/<EMAIL_ADDRESS_\d+>/g, (token) => vault.get(token) ?? token) : text;
  }
}

/** Input rails that return a scripted verdict for messages containing a trigger phrase. */
export class ScriptedInputRails implements InputRailsStage {
  readonly seen: RailsInput[] = [];
  constructor(
    private readonly script: ReadonlyArray<{
      readonly contains: string;
      readonly verdict: GuardrailVerdict;
    }> = [],
  ) {}

  async check(input: RailsInput) {
    this.seen.push(input);
    const hit = this.script.find((entry) =>
      input.message.text.toLowerCase().includes(entry.contains.toLowerCase()),
    );
    if (!hit) return { verdicts: [{ guardrail: 'scripted', tripped: false, action: 'allow' as const }] };
    return { verdicts: [hit.verdict], ...(hit.verdict.action !== 'allow' && { blocked: hit.verdict }) };
  }
}

/** Input rails that always throw, to prove the pipeline fails closed. */
export class CrashingRails implements InputRailsStage, OutputRailsStage {
  async check(): Promise<never> {
    throw new TypeError('rail exploded');
  }
}

/** Always returns the same route. */
export class StaticRouter implements RouterStage {
  constructor(
    private readonly fixed: Route = { intent: 'policy_question', confidence: 0.9, kind: 'knowledge' },
  ) {}
  async route(): Promise<Route> {
    return this.fixed;
  }
}

/** Returns the given passages for every query and records the queries it saw. */
export class StaticRetrieval implements RetrievalStage {
  readonly queries: string[] = [];
  constructor(
    private readonly passages: readonly RetrievedPassage[],
    private readonly confidence = 0.9,
  ) {}
  async search(query: string) {
    this.queries.push(query);
    return { passages: this.passages, confidence: this.confidence };
  }
}

/** Records tool runs and returns scripted outcomes. */
export class RecordingToolStage implements ToolStage {
  readonly runs: ToolRunInput[] = [];
  constructor(private readonly outcomes: readonly ToolOutcome[] = []) {}
  async run(input: ToolRunInput) {
    this.runs.push(input);
    return input.route.kind === 'tool' ? this.outcomes : [];
  }
}

/** A generator that echoes what it was given, so tests can see exactly what reached generation. */
export class EchoGeneration implements GenerationStage {
  readonly inputs: GenerationInput[] = [];
  async generate(input: GenerationInput): Promise<Draft> {
    this.inputs.push(input);
    return { text: `echo: ${input.text}`, citations: [], confidence: 0.9, generator: 'echo' };
  }
}

/** Output rails that approve every draft unchanged. */
export class PassThroughOutputRails implements OutputRailsStage {
  readonly inputs: OutputRailsInput[] = [];
  async check(input: OutputRailsInput) {
    this.inputs.push(input);
    return { verdicts: [], finalText: input.draft.text, citations: input.draft.citations, groundedness: 1 };
  }
}

/** Hands off when the customer asks for a person ("human"), nothing else. */
export class KeywordHandoffFake implements HandoffStage {
  decide(input: HandoffInput) {
    // "unsafe" stands for what the real triggers mark urgent (self-harm, threats).
    if (/\bunsafe\b/i.test(input.message.text))
      return {
        reason: 'vulnerability' as const,
        priority: 'urgent' as const,
        explanation: 'Customer said they are unsafe.',
        emotions: [],
      };
    return /\bhuman\b/i.test(input.message.text)
      ? {
          reason: 'explicit_request' as const,
          priority: 'normal' as const,
          explanation: 'Customer asked for a person.',
          emotions: [],
        }
      : undefined;
  }
  summarize(input: { decision: HandoffDecision; intent: string }): HandoffSummary {
    const text = `Reason: ${input.decision.reason}; intent: ${input.intent}`;
    return { ...input.decision, emotions: [], lastCustomerAsks: [], text };
  }
  customerMessage(): string {
    return 'A member of our team will join this conversation shortly.';
  }
}
