/**
 * The anonymizer, kept apart from the analyzer: it turns analyzer spans into replacement text,
 * with one operator per entity and a DEFAULT.
 *
 * - `replace`: a typed token from the conversation vault (`<CREDIT_CARD_1>`, asked first with
 *   `vaultTokens`), reversible by policy.
 * - `mask`: keeps the last 4 characters (`************1111`).
 * - `hash`: salted SHA-256, truncated (`<EMAIL_ADDRESS:3f2a…>`), stable for correlation in logs.
 * - `redact`: the entity label only (`<US_SSN>`), irreversible.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AnalyzerResult } from './analyzer.js';
import { type EntityType, entityTypeSchema } from './types.js';
import { type ConversationVault, valueKey } from './vault.js';

export const operatorNameSchema = z.enum(['replace', 'mask', 'hash', 'redact']);
export type OperatorName = z.infer<typeof operatorNameSchema>;

/** Operator per entity, with `DEFAULT` for the rest. */
export const operatorMapSchema = z
  .record(z.union([entityTypeSchema, z.literal('DEFAULT')]), operatorNameSchema)
  .refine((map) => map.DEFAULT !== undefined, { message: 'an operator map needs a DEFAULT entry' });
export type OperatorMap = Partial<Record<EntityType | 'DEFAULT', OperatorName>> & { DEFAULT: OperatorName };

/** One replacement made, without the raw value. */
export interface AnonymizedItem {
  readonly entity: EntityType;
  readonly operator: OperatorName;
  /** What now stands in the text. */
  readonly replacement: string;
  /** Span in the original text. */
  readonly start: number;
  readonly end: number;
}

export interface AnonymizeOptions {
  readonly operators: OperatorMap;
  /**
   * Needed by `replace`: the vault's token for each span (`vaultTokens`); a span without one
   * falls back to `redact`.
   */
  readonly tokens?: ReadonlyMap<AnalyzerResult, string | undefined>;
  /** Needed by `hash`. */
  readonly salt?: string;
}

/** Keeps the last four letters or digits; everything else that is a letter or digit becomes `*`. */
export function maskValue(value: string, keep = 4): string {
  let kept = 0;
  let masked = '';
  for (let index = value.length - 1; index >= 0; index--) {
    const character = value[index]!;
    if (/[\p{L}\p{N}]/u.test(character)) {
      masked = (kept < keep && value.length > keep ? character : '*') + masked;
      kept++;
    } else {
      masked = character + masked;
    }
  }
  return masked;
}

/** Salted SHA-256 of the value's comparison key, so reformatted numbers hash the same. */
export function hashValue(entity: EntityType, value: string, salt: string): string {
  return createHash('sha256')
    .update(salt)
    .update('\u0000')
    .update(valueKey(entity, value))
    .digest('hex')
    .slice(0, 16);
}

/** The spans in text order, skipping any that starts inside the previous one. */
function* spansInOrder(results: readonly AnalyzerResult[]): Generator<AnalyzerResult> {
  const sorted = results.every((result, index) => index === 0 || results[index - 1]!.start <= result.start)
    ? results
    : [...results].sort((left, right) => left.start - right.start);
  let position = 0;
  for (const result of sorted) {
    if (result.start < position) continue;
    position = result.end;
    yield result;
  }
}

/**
 * The conversation vault's token for every span that `replace` applies to, asked in text order
 * (so numbers follow the text) before `anonymize` runs: the vault may be a database, the
 * replacement itself stays synchronous.
 */
export async function vaultTokens(
  text: string,
  results: readonly AnalyzerResult[],
  options: {
    readonly operators: OperatorMap;
    readonly vault: ConversationVault;
    readonly conversationId: string;
  },
): Promise<Map<AnalyzerResult, string | undefined>> {
  const tokens = new Map<AnalyzerResult, string | undefined>();
  for (const result of spansInOrder(results)) {
    if ((options.operators[result.entity] ?? options.operators.DEFAULT) !== 'replace') continue;
    const value = text.slice(result.start, result.end);
    tokens.set(result, await options.vault.tokenize(options.conversationId, result.entity, value));
  }
  return tokens;
}

/** Replaces each span of `text` by its operator's output. Spans must not overlap (the analyzer ensures it). */
export function anonymize(
  text: string,
  results: readonly AnalyzerResult[],
  options: AnonymizeOptions,
): { text: string; items: AnonymizedItem[] } {
  const items: AnonymizedItem[] = [];
  let output = '';
  let position = 0;
  for (const result of spansInOrder(results)) {
    const value = text.slice(result.start, result.end);
    let operator = options.operators[result.entity] ?? options.operators.DEFAULT;
    let replacement: string | undefined;
    if (operator === 'replace') {
      replacement = options.tokens?.get(result);
    } else if (operator === 'mask') {
      replacement = maskValue(value);
    } else if (operator === 'hash' && options.salt) {
      replacement = `<${result.entity}:${hashValue(result.entity, value, options.salt)}>`;
    }
    if (replacement === undefined) {
      operator = 'redact';
      replacement = `<${result.entity}>`;
    }
    output += text.slice(position, result.start) + replacement;
    position = result.end;
    items.push({ entity: result.entity, operator, replacement, start: result.start, end: result.end });
  }
  return { text: output + text.slice(position), items };
}
