/**
 * @redactpii/node as one more recognizer source. Its regexes propose; Teller's validators decide
 * (a card needs Luhn, an SSN the SSA rules), so it can only add recall, never invalid numbers.
 *
 * It is constructed without an API key, which keeps its dashboard telemetry off: the library only
 * calls `fetch` when `apiKey` is a non-empty string. The option is not even forwarded.
 */
import { Redactor } from '@redactpii/node';
import type { EntityType, Recognizer, RecognizerResult } from '../types.js';
import { isCreditCardNumber, isUsSsn } from '../validators.js';
import { scorePhoneCandidate } from './contact.js';

/** The replacement labels @redactpii/node writes, mapped to Teller's entities. */
export const REDACTPII_LABELS: Readonly<Record<string, EntityType>> = {
  CREDIT_CARD_NUMBER: 'CREDIT_CARD',
  EMAIL_ADDRESS: 'EMAIL_ADDRESS',
  PERSON_NAME: 'PERSON',
  PHONE_NUMBER: 'PHONE_NUMBER',
  US_SOCIAL_SECURITY_NUMBER: 'US_SSN',
};

const LABEL_PATTERN = /CREDIT_CARD_NUMBER|EMAIL_ADDRESS|PERSON_NAME|PHONE_NUMBER|US_SOCIAL_SECURITY_NUMBER/g;

/** A span found by @redactpii/node, with its own label. */
export interface RedactPiiSpan {
  readonly label: string;
  readonly start: number;
  readonly end: number;
}

/** The library's rule switches. */
export type RedactPiiRules = NonNullable<ConstructorParameters<typeof Redactor>[0]>['rules'];

/**
 * Creates a Redactor with telemetry impossible: no API key, no API URL. Default: all the
 * library's rules (used as the baseline in the eval suite).
 */
export function createOfflineRedactor(rules?: RedactPiiRules): Redactor {
  return new Redactor({
    apiKey: null,
    apiUrl: '',
    anonymize: false,
    aggressive: false,
    ...(rules ? { rules } : {}),
  });
}

/**
 * Rules Teller runs by default: greeting names and emails, the two where the library finds what
 * Teller's own recognizers may not. Its card, phone and SSN patterns are a subset of Teller's
 * (and unvalidated), so running them would only cost time; pass `rules` to turn them back on.
 */
export const DEFAULT_SAFETY_NET_RULES: RedactPiiRules = {
  NAME: true,
  EMAIL: true,
  CREDIT_CARD: false,
  PHONE: false,
  SSN: false,
};

/**
 * Necessary for the library's NAME rule, on lower-cased text: a greeting word not preceded by a
 * letter, then whitespace (the rule wants the start or '.' and whitespace before the greeting).
 * The lookbehind is equivalent to `(?:^|[^a-z])` and lets the scan skip to candidate letters.
 */
export const GREETING = /(?<![a-z])(?:dear|hi|hello|greetings|hey)\s/;

/**
 * Necessary for the NAME rule within one chunk, on its lower-cased text: the rule itself wants the
 * greeting at the chunk's start or after '.' and whitespace, then whitespace.
 */
export const CHUNK_GREETING = /(?:^|\.\s+)(?:dear|hi|hello|greetings|hey)\s/;

/**
 * Runs `redactor.redact(text)` and recovers where each replacement came from by aligning the
 * output with the input: the text between labels is copied verbatim, so each label stands for
 * the stretch of input up to the next copied segment. Labels already present in the input are
 * neutralised first so they cannot be mistaken for replacements.
 */
export function findRedactPiiSpans(redactor: Redactor, input: string): RedactPiiSpan[] {
  // Lower-case the first letter of any label typed by the user: the library's patterns are case
  // insensitive where it matters (email) and labels never occur in real PII.
  const text = input.replace(LABEL_PATTERN, (label) => label.toLowerCase());
  const output = redactor.redact(text);
  if (output === text) return [];
  const spans: RedactPiiSpan[] = [];
  const labels = [...output.matchAll(LABEL_PATTERN)];
  let outputPosition = 0;
  let inputPosition = 0;
  for (let index = 0; index < labels.length; index++) {
    const label = labels[index]!;
    const segment = output.slice(outputPosition, label.index);
    inputPosition += segment.length;
    const afterLabel = label.index + label[0].length;
    const next = labels[index + 1];
    const following = output.slice(afterLabel, next ? next.index : output.length);
    let end: number;
    if (!next) {
      end = text.length - following.length;
    } else if (following.length === 0) {
      // Two replacements back to back: the boundary cannot be recovered; give the span up.
      return spans;
    } else {
      end = text.indexOf(following, inputPosition + 1);
      if (end === -1) return spans;
    }
    spans.push({ label: label[0], start: inputPosition, end });
    inputPosition = end;
    outputPosition = afterLabel;
  }
  return spans;
}

/**
 * The library's patterns have unbounded repetition (`[a-z0-9._-]*@`), which is quadratic on long
 * hostile strings such as "a.a.a.…". Long texts are therefore fed to it in chunks cut at
 * whitespace, at most this long, which keeps the total time linear.
 */
const CHUNK_LENGTH = 2048;

/** Splits text into chunks of at most CHUNK_LENGTH, preferring to cut after whitespace. */
export function chunkText(text: string, size = CHUNK_LENGTH): Array<{ offset: number; text: string }> {
  if (text.length <= size) return [{ offset: 0, text }];
  const chunks: Array<{ offset: number; text: string }> = [];
  let offset = 0;
  while (offset < text.length) {
    let end = Math.min(text.length, offset + size);
    if (end < text.length) {
      const cut = Math.max(text.lastIndexOf(' ', end), text.lastIndexOf('\n', end));
      if (cut > offset + size / 2) end = cut + 1;
    }
    chunks.push({ offset, text: text.slice(offset, end) });
    offset = end;
  }
  return chunks;
}

export interface RedactPiiRecognizerOptions {
  /** Which of the library's rules run. Default DEFAULT_SAFETY_NET_RULES. */
  readonly rules?: RedactPiiRules;
}

/** Wraps @redactpii/node as a recognizer; its proposals go through Teller's validators. */
export function createRedactPiiRecognizer(options: RedactPiiRecognizerOptions = {}): Recognizer {
  const rules = options.rules ?? DEFAULT_SAFETY_NET_RULES;
  const redactor = createOfflineRedactor(rules);
  const name = 'redactpii';
  const numeric = Boolean(rules?.CREDIT_CARD || rules?.PHONE || rules?.SSN);
  // With only NAME and EMAIL on, a rule whose necessary text is absent from a chunk cannot match
  // there (EMAIL needs '@', NAME a greeting; neither replacement label holds '@' or a greeting),
  // so a redactor without that rule writes the same output with one regex pass less.
  const subsets =
    !numeric && rules?.NAME && rules?.EMAIL
      ? {
          nameOnly: createOfflineRedactor({ ...rules, EMAIL: false }),
          emailOnly: createOfflineRedactor({ ...rules, NAME: false }),
        }
      : undefined;
  /** The redactor for one chunk; undefined when none of its rules can match there. */
  function redactorFor(text: string, lower: string): Redactor | undefined {
    if (!subsets) return redactor;
    const email = text.includes('@');
    const greeting = CHUNK_GREETING.test(lower);
    if (email) return greeting ? redactor : subsets.emailOnly;
    return greeting ? subsets.nameOnly : undefined;
  }
  return {
    name,
    entities: ['CREDIT_CARD', 'EMAIL_ADDRESS', 'PERSON', 'PHONE_NUMBER', 'US_SSN'],
    // Skip the library entirely when none of its enabled rules can match.
    applies: (input) =>
      // One chunk: analyze would find no span unless redactorFor picks a redactor for it.
      subsets && input.text.length <= CHUNK_LENGTH
        ? input.hasAt || CHUNK_GREETING.test(input.lower)
        : (Boolean(rules?.EMAIL) && input.hasAt) ||
          (Boolean(rules?.NAME) && GREETING.test(input.lower)) ||
          (numeric && input.hasDigit),
    analyze(input) {
      const results: RecognizerResult[] = [];
      const spans = chunkText(input.text).flatMap((chunk) => {
        const chunkRedactor = redactorFor(
          chunk.text,
          input.lower.slice(chunk.offset, chunk.offset + chunk.text.length),
        );
        // No rule can match: the library would return the chunk unchanged, which yields no span.
        if (!chunkRedactor) return [];
        return findRedactPiiSpans(chunkRedactor, chunk.text).map((span) => ({
          ...span,
          start: span.start + chunk.offset,
          end: span.end + chunk.offset,
        }));
      });
      for (const span of spans) {
        const entity = REDACTPII_LABELS[span.label];
        if (!entity) continue;
        let { start } = span;
        const value = input.text.slice(start, span.end);
        let score = 0.5;
        let reason = '@redactpii/node pattern';
        if (entity === 'CREDIT_CARD') {
          if (!isCreditCardNumber(value)) continue;
          score = 1;
          reason += '; Luhn checksum valid';
        } else if (entity === 'US_SSN') {
          if (!isUsSsn(value)) continue;
          reason += '; SSA rules';
        } else if (entity === 'PHONE_NUMBER') {
          const verdict = scorePhoneCandidate(value.trim());
          if (!verdict) continue;
          score = Math.min(verdict.score, 0.5);
        } else if (entity === 'PERSON') {
          // The library's name span includes the greeting ("Hi Jane Doe"): keep only the name.
          const greeting = /^(?:[.\s]*)(?:dear|hi|hello|greetings|hey there|hey)\s+/i.exec(value);
          if (greeting) start += greeting[0].length;
          score = 0.6;
        } else {
          score = 0.9;
        }
        results.push({ entity, start, end: span.end, score, recognizer: name, explanation: reason });
      }
      return results;
    },
  };
}
