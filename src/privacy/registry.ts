/**
 * Which recognizers run and which entities are reported, configured as data. Building the
 * registry fails fast when the configuration asks for an entity no enabled recognizer can find,
 * or names a recognizer that does not exist.
 */
import { z } from 'zod';
import { createKeywordScanner, type KeywordScanner } from '../text/keyword-scanner.js';
import {
  createAddressRecognizer,
  createDateOfBirthRecognizer,
  createEmailRecognizer,
  createIpRecognizer,
  createPhoneRecognizer,
  createUsSsnRecognizer,
} from './recognizers/contact.js';
import {
  createBankAccountRecognizer,
  createCreditCardRecognizer,
  createIbanRecognizer,
  createMaskedCardRecognizer,
  createRoutingNumberRecognizer,
  createSortCodeRecognizer,
  createSwiftRecognizer,
} from './recognizers/financial.js';
import { createPassportRecognizer, createUkNinoRecognizer } from './recognizers/identity.js';
import { createPersonRecognizer } from './recognizers/person.js';
import { createRedactPiiRecognizer } from './recognizers/redactpii.js';
import { createSecretRecognizers } from './recognizers/secrets.js';
import { ALL_ENTITIES, type EntityType, entityTypeSchema, type Recognizer } from './types.js';

/** Built-in recognizers by name. Each call builds fresh instances (regexes carry `lastIndex`). */
export function builtInRecognizers(): Recognizer[] {
  return [
    createCreditCardRecognizer(),
    createMaskedCardRecognizer(),
    createIbanRecognizer(),
    createRoutingNumberRecognizer(),
    createSwiftRecognizer(),
    createBankAccountRecognizer(),
    createSortCodeRecognizer(),
    createUsSsnRecognizer(),
    createEmailRecognizer(),
    createPhoneRecognizer(),
    createIpRecognizer(),
    createDateOfBirthRecognizer(),
    ...createSecretRecognizers(),
    createUkNinoRecognizer(),
    createPassportRecognizer(),
    createAddressRecognizer(),
    createPersonRecognizer(),
    createRedactPiiRecognizer(),
  ];
}

/** Names of every built-in recognizer, in the order they run. */
export const BUILT_IN_RECOGNIZER_NAMES: readonly string[] = builtInRecognizers().map(
  (recognizer) => recognizer.name,
);

/** The analyzer's configuration as data (from `src/config/`, a YAML file or a test). */
export const analyzerConfigSchema = z
  .object({
    /** Entities to report. Default: all. */
    entities: z.array(entityTypeSchema).default([...ALL_ENTITIES]),
    /** Recognizers to run, by name. Default: all built-ins. */
    recognizers: z.array(z.string()).default([...BUILT_IN_RECOGNIZER_NAMES]),
    /** Spans scoring below this are dropped. */
    scoreThreshold: z.number().min(0).max(1).default(0.4),
    /** Added to a span's score when one of its recognizer's context words is near it. */
    contextBoost: z.number().min(0).max(1).default(0.35),
    /** How many characters before and after a span are searched for context words. */
    contextWindow: z
      .object({ before: z.number().int().min(0).max(200), after: z.number().int().min(0).max(200) })
      .default({ before: 40, after: 20 }),
  })
  .strict();
export type AnalyzerConfig = z.infer<typeof analyzerConfigSchema>;
export type AnalyzerConfigInput = z.input<typeof analyzerConfigSchema>;

/** Raised at start-up when the privacy configuration cannot work. */
export class PrivacyConfigurationError extends Error {
  override name = 'PrivacyConfigurationError';
}

/** The enabled recognizers and entities, checked against each other. */
export interface RecognizerRegistry {
  readonly config: AnalyzerConfig;
  readonly recognizers: readonly Recognizer[];
  readonly entities: ReadonlySet<EntityType>;
  /** One scanner for the keywords every enabled recognizer declares, run once per analysis. */
  readonly keywordScanner: KeywordScanner;
}

/**
 * Builds the registry. `available` defaults to the built-ins; pass more to add custom recognizers.
 * Throws PrivacyConfigurationError with a fix-it message on any inconsistency.
 */
export function createRecognizerRegistry(
  input: AnalyzerConfigInput = {},
  available: readonly Recognizer[] = builtInRecognizers(),
): RecognizerRegistry {
  const parsed = analyzerConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new PrivacyConfigurationError(`Invalid privacy analyzer configuration: ${parsed.error.message}`);
  }
  const config = parsed.data;
  const byName = new Map(available.map((recognizer) => [recognizer.name, recognizer]));
  const unknown = config.recognizers.filter((name) => !byName.has(name));
  if (unknown.length > 0) {
    throw new PrivacyConfigurationError(
      `Unknown recognizer(s) ${unknown.join(', ')} in privacy.recognizers. Known: ${[...byName.keys()].join(', ')}.`,
    );
  }
  const recognizers = config.recognizers.map((name) => byName.get(name)!);
  const covered = new Set(recognizers.flatMap((recognizer) => recognizer.entities));
  const orphans = config.entities.filter((entity) => !covered.has(entity));
  if (orphans.length > 0) {
    throw new PrivacyConfigurationError(
      `Entity ${orphans.join(', ')} is enabled but no enabled recognizer detects it. ` +
        'Enable a recognizer for it in privacy.recognizers or remove it from privacy.entities.',
    );
  }
  return {
    config,
    recognizers,
    entities: new Set(config.entities),
    keywordScanner: createKeywordScanner(recognizers.flatMap((recognizer) => recognizer.keywords ?? [])),
  };
}
