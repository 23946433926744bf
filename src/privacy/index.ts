/** Teller's privacy layer: PII analyzer, anonymizer, conversation vaults and the guard facade. */
export { type Analyzer, type AnalyzerResult, createAnalyzer, resolveOverlaps } from './analyzer.js';
export {
  type AnonymizedItem,
  anonymize,
  hashValue,
  maskValue,
  type OperatorMap,
  type OperatorName,
} from './anonymizer.js';
export {
  createPrivacyGuard,
  type ForeignPiiFinding,
  type PrivacyFinding,
  type PrivacyGuard,
  type PrivacyGuardOptions,
} from './guard.js';
export { InMemoryKeyValueStore, type KeyValueStore, KeyValueVaultStore } from './key-value-vault-store.js';
export {
  type AnalyzerConfig,
  type AnalyzerConfigInput,
  analyzerConfigSchema,
  BUILT_IN_RECOGNIZER_NAMES,
  builtInRecognizers,
  createRecognizerRegistry,
  PrivacyConfigurationError,
  type RecognizerRegistry,
} from './registry.js';
export {
  ALL_ENTITIES,
  type EntityType,
  entityTypeSchema,
  type Recognizer,
  type RecognizerResult,
} from './types.js';
export {
  type ConversationVault,
  EncryptedConversationVault,
  InMemoryConversationVault,
  type SealedVaultStore,
  TOKEN_PATTERN,
  type TokenizeRequest,
  type VaultEntry,
} from './vault.js';
