/**
 * The privacy facade the pipeline calls. Allocation-light: it runs on every message before
 * anything else sees the text. Detection is synchronous; whatever touches the vault is
 * asynchronous, since the vault may be a database every instance shares.
 *
 * Wiring: the composition root builds one guard (`createPrivacyGuard(config)`); the turn runs
 * `redactMessage` on the customer's text before storage, retrieval or the model; an output rail
 * calls `findForeignPii` on the draft answer; the response layer calls `restoreForCustomer` with
 * the entities policy lets the customer see; logs, audit and handoff payloads go through
 * `redactForLog`.
 */
import { randomBytes } from 'node:crypto';
import { type Analyzer, type AnalyzerResult, createAnalyzer } from './analyzer.js';
import { anonymize, type OperatorMap, vaultTokens } from './anonymizer.js';
import { type AnalyzerConfigInput, createRecognizerRegistry } from './registry.js';
import type { EntityType } from './types.js';
import { type ConversationVault, InMemoryConversationVault, TOKEN_PATTERN } from './vault.js';

/** A detection as reported to callers and logs: where, what, why, never the value. */
export interface PrivacyFinding {
  readonly entity: EntityType;
  /** The token or label now standing in the text. */
  readonly token: string;
  readonly score: number;
  readonly recognizer: string;
  readonly explanation: string;
  /** Span in the original text. */
  readonly start: number;
  readonly end: number;
}

/** PII in an answer that this conversation's customer did not provide. */
export interface ForeignPiiFinding {
  readonly entity: EntityType | 'TOKEN';
  readonly start: number;
  readonly end: number;
  readonly score: number;
  readonly recognizer: string;
  readonly reason: 'unknown_value' | 'foreign_token';
}

export interface PrivacyGuard {
  /**
   * Replaces PII with conversation tokens (`<CREDIT_CARD_1>`); the vault remembers the originals.
   * Secrets (IRREVERSIBLE_ENTITIES) become their label (`<PIN>`) and are never remembered.
   */
  redactMessage(
    conversationId: string,
    text: string,
  ): Promise<{ redactedText: string; findings: PrivacyFinding[] }>;
  /** Irreversible redaction for logs, audit and handoff payloads (labels, masks or salted hashes). */
  redactForLog(text: string): string;
  /** PII in an answer that is neither a token of this conversation nor a value its customer gave. */
  findForeignPii(conversationId: string, answerText: string): Promise<ForeignPiiFinding[]>;
  /** Puts back the originals of this conversation's tokens for the allowed entities only. */
  restoreForCustomer(
    conversationId: string,
    text: string,
    allowedEntities: readonly EntityType[],
  ): Promise<string>;
  /**
   * Records a value as the customer's own (e.g. a masked card a tool returned) and returns its
   * token; secrets (IRREVERSIBLE_ENTITIES) are refused with undefined.
   */
  rememberOwnValue(conversationId: string, entity: EntityType, value: string): Promise<string | undefined>;
  /** Forgets a conversation's vault entries (end of retention). */
  forgetConversation(conversationId: string): Promise<void>;
  /** Conversations whose vault was last used before `cutoff` (epoch ms); see `purgeExpiredVault`. */
  conversationsIdleBefore(cutoff: number): Promise<string[]>;
  readonly analyzer: Analyzer;
}

export interface PrivacyGuardOptions {
  /** Analyzer configuration as data (entities, recognizers, threshold). */
  readonly analyzer?: AnalyzerConfigInput;
  /** Default: an in-memory vault (bounded, 24 h idle TTL). */
  readonly vault?: ConversationVault;
  /** Operators for `redactForLog`. Default: `redact` for everything, `mask` for cards. */
  readonly logOperators?: OperatorMap;
  /** Salt for `hash` operators; default a random per-process salt (hashes then do not survive restarts). */
  readonly hashSalt?: string;
}

/** A token-shaped string the customer typed is defused so it can never be "restored" later. */
function defuseTypedTokens(text: string): string {
  if (!text.includes('<')) return text;
  return text.replace(TOKEN_PATTERN, (token) => `‹${token.slice(1, -1)}›`);
}

const DEFAULT_LOG_OPERATORS: OperatorMap = { DEFAULT: 'redact', CREDIT_CARD: 'mask' };

/**
 * Secrets that are never shown back to anyone (PIN, card security code, password, one-time code):
 * replaced by their label alone (`<PIN>`) and never handed to the vault, so no key, database or
 * data directory can ever yield them.
 */
export const IRREVERSIBLE_ENTITIES: readonly EntityType[] = ['PIN', 'CVV', 'PASSWORD', 'OTP'];

/** Customer messages: a vault token for everything but the secrets above. */
const MESSAGE_OPERATORS: OperatorMap = {
  DEFAULT: 'replace',
  ...Object.fromEntries(IRREVERSIBLE_ENTITIES.map((entity) => [entity, 'redact'])),
};
const IRREVERSIBLE: ReadonlySet<EntityType> = new Set(IRREVERSIBLE_ENTITIES);

/** Builds the privacy guard. Throws PrivacyConfigurationError at start-up on bad configuration. */
export function createPrivacyGuard(options: PrivacyGuardOptions = {}): PrivacyGuard {
  const analyzer = createAnalyzer(createRecognizerRegistry(options.analyzer ?? {}));
  const vault = options.vault ?? new InMemoryConversationVault();
  const logOperators = options.logOperators ?? DEFAULT_LOG_OPERATORS;
  const salt = options.hashSalt ?? randomBytes(16).toString('hex');

  function toFindings(results: readonly AnalyzerResult[], replacements: readonly string[]): PrivacyFinding[] {
    return results.map((result, index) => ({
      entity: result.entity,
      token: replacements[index] ?? `<${result.entity}>`,
      score: result.score,
      recognizer: result.recognizer,
      explanation: result.explanation,
      start: result.start,
      end: result.end,
    }));
  }

  return {
    analyzer,
    async redactMessage(conversationId, text) {
      const safe = defuseTypedTokens(text);
      const results = analyzer.analyze(safe);
      if (results.length === 0) return { redactedText: safe, findings: [] };
      const tokens = await vaultTokens(safe, results, {
        operators: MESSAGE_OPERATORS,
        vault,
        conversationId,
      });
      const { text: redactedText, items } = anonymize(safe, results, {
        operators: MESSAGE_OPERATORS,
        tokens,
      });
      return {
        redactedText,
        findings: toFindings(
          results,
          items.map((item) => item.replacement),
        ),
      };
    },
    redactForLog(text) {
      const results = analyzer.analyze(text);
      if (results.length === 0) return text;
      return anonymize(text, results, { operators: logOperators, salt }).text;
    },
    async findForeignPii(conversationId, answerText) {
      const findings: ForeignPiiFinding[] = [];
      if (answerText.includes('<')) {
        TOKEN_PATTERN.lastIndex = 0;
        for (const match of answerText.matchAll(TOKEN_PATTERN)) {
          if (!(await vault.reveal(conversationId, match[0]))) {
            findings.push({
              entity: 'TOKEN',
              start: match.index,
              end: match.index + match[0].length,
              score: 1,
              recognizer: 'token',
              reason: 'foreign_token',
            });
          }
        }
      }
      for (const result of analyzer.analyze(answerText)) {
        const value = answerText.slice(result.start, result.end);
        if (await vault.lookup(conversationId, result.entity, value)) continue;
        findings.push({
          entity: result.entity,
          start: result.start,
          end: result.end,
          score: result.score,
          recognizer: result.recognizer,
          reason: 'unknown_value',
        });
      }
      return findings.sort((left, right) => left.start - right.start);
    },
    async restoreForCustomer(conversationId, text, allowedEntities) {
      if (!text.includes('<') || allowedEntities.length === 0) return text;
      const allowed = new Set<string>(allowedEntities);
      // Each distinct token is revealed once, then the text is rewritten in one pass.
      const originals = new Map<string, string>();
      for (const [token, entity] of text.matchAll(TOKEN_PATTERN)) {
        if (!allowed.has(entity!) || originals.has(token)) continue;
        const entry = await vault.reveal(conversationId, token);
        originals.set(token, entry && entry.entity === entity ? entry.value : token);
      }
      return originals.size === 0
        ? text
        : text.replace(TOKEN_PATTERN, (token) => originals.get(token) ?? token);
    },
    async rememberOwnValue(conversationId, entity, value) {
      if (IRREVERSIBLE.has(entity)) return undefined;
      return vault.tokenize(conversationId, entity, value);
    },
    forgetConversation(conversationId) {
      return vault.forget(conversationId);
    },
    conversationsIdleBefore(cutoff) {
      return vault.conversationsIdleBefore(cutoff);
    },
  };
}
