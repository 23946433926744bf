/**
 * The anonymizer, kept apart from the analyzer: it turns analyzer spans into replacement text,
 * with one operator per entity and a DEFAULT.
 *
 * - `replace`: a typed token from the conversation vault (`<CREDIT_CARD_1>`), reversible by policy.
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
  /** Needed by `replace`; without it `replace` falls back to `redact`. */
  readonly vault?: ConversationVault;
  readonly conversationId?: string;
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

/** Replaces each span of `text` by its operator's output. Spans must not overlap (the analyzer ensures it). */
export function anonymize(
  text: string,
  results: readonly AnalyzerResult[],
  options: AnonymizeOptions,
): { text: string; items: AnonymizedItem[] } {
  const items: AnonymizedItem[] = [];
  let output = '';
  let position = 0;
  const sorted = results.every((result, index) => index === 0 || results[index - 1]!.start <= result.start)
    ? results
    : [...results].sort((left, right) => left.start - right.start);
  for (const result of sorted) {
    if (result.start < position) continue;
    const value = text.slice(result.start, result.end);
    let operator = options.operators[result.entity] ?? options.operators.DEFAULT;
    let replacement: string | undefined;
    if (operator === 'replace' && options.vault && options.conversationId !== undefined) {
      replacement = options.vault.tokenize(options.conversationId, result.entity, value);
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
