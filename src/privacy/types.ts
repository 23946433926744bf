/**
 * The analyzer's vocabulary, in Presidio's shape: recognizers return scored spans with an
 * explanation; the analyzer filters, boosts and resolves them; the anonymizer turns them into text.
 */
import { z } from 'zod';
import type { KeywordPresence } from '../text/keyword-scanner.js';

/** Every entity Teller can detect. Names follow Presidio where one exists. */
export const entityTypeSchema = z.enum([
  'CREDIT_CARD',
  'IBAN_CODE',
  'BANK_ACCOUNT',
  'UK_SORT_CODE',
  'US_ROUTING_NUMBER',
  'SWIFT_CODE',
  'US_SSN',
  'EMAIL_ADDRESS',
  'PHONE_NUMBER',
  'PERSON',
  'ADDRESS',
  'DATE_OF_BIRTH',
  'CVV',
  'PIN',
  'PASSWORD',
  'OTP',
  'IP_ADDRESS',
  'UK_NINO',
  'PASSPORT',
]);
export type EntityType = z.infer<typeof entityTypeSchema>;

/** All entity types, in declaration order. */
export const ALL_ENTITIES: readonly EntityType[] = entityTypeSchema.options;

/** One scored span proposed by a recognizer, in the coordinates of the text it was given. */
export interface RecognizerResult {
  readonly entity: EntityType;
  readonly start: number;
  readonly end: number;
  /** Confidence in [0, 1]. Patterns propose low; validators and context move it. */
  readonly score: number;
  /** Name of the recognizer that proposed the span. */
  readonly recognizer: string;
  /** Why, without the raw value: which pattern, validator and context words were involved. */
  readonly explanation: string;
}

/**
 * The text a recognizer sees: already normalised (zero-width characters removed, unicode digits
 * and dashes folded to ASCII) plus cheap facts so recognizers can skip work.
 */
export interface AnalysisInput {
  readonly text: string;
  /** Lower-cased `text`, same length (offsets are shared), computed once per analysis. */
  readonly lower: string;
  readonly hasDigit: boolean;
  readonly hasAt: boolean;
  readonly hasColon: boolean;
  /**
   * Keywords present in `lower`, from one scan per analysis over every enabled recognizer's
   * declared `keywords`; without it recognizers use `includes` (same answers).
   */
  readonly keywords?: KeywordPresence;
}

/** A detector for one or more entity types. Implementations must be synchronous and side-effect free. */
export interface Recognizer {
  readonly name: string;
  readonly entities: readonly EntityType[];
  /** Words that, found near a span, raise its score. Lower-case. */
  readonly context?: readonly string[];
  /**
   * Lower-case words its pre-checks look up in `lower` (through `input.keywords`): the registry
   * scans the text once for the keywords of every enabled recognizer.
   */
  readonly keywords?: readonly string[];
  /** Cheap pre-check: return false to skip `analyze` entirely for this input. */
  applies(input: AnalysisInput): boolean;
  analyze(input: AnalysisInput): RecognizerResult[];
}
