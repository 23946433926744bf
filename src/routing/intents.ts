/**
 * The router's labels. Tool intents are named exactly like the tools they call; knowledge topics
 * (`knowledge.*`) send the message to retrieval; `handoff_request` asks for a person; `greeting`
 * is small talk; `out_of_scope` and anything uncertain come back as `unknown`.
 */
export const TOOL_INTENTS = [
  'list_accounts',
  'account_balance',
  'recent_transactions',
  'card_status',
  'freeze_card',
  'unfreeze_card',
  'report_card_lost',
  'dispute_transaction',
  'scheduled_payments',
  'contact_details',
] as const;
export type ToolIntent = (typeof TOOL_INTENTS)[number];

export const KNOWLEDGE_INTENTS = [
  'knowledge.cards',
  'knowledge.payments',
  'knowledge.fees',
  'knowledge.overdrafts',
  'knowledge.fraud',
  'knowledge.accounts',
  'knowledge.disputes',
  'knowledge.complaints',
  'knowledge.savings',
  'knowledge.lending',
  'knowledge.security',
] as const;
export type KnowledgeIntent = (typeof KNOWLEDGE_INTENTS)[number];

export const OTHER_INTENTS = ['handoff_request', 'greeting', 'out_of_scope'] as const;
export type OtherIntent = (typeof OTHER_INTENTS)[number];

/** Every label the classifier is trained on. */
export type TrainedIntent = ToolIntent | KnowledgeIntent | OtherIntent;
export const TRAINED_INTENTS: readonly TrainedIntent[] = [
  ...TOOL_INTENTS,
  ...KNOWLEDGE_INTENTS,
  ...OTHER_INTENTS,
];

/** What the router answers: a trained intent, or `unknown` when unsure or out of scope. */
export type RouteIntent = Exclude<TrainedIntent, 'out_of_scope'> | 'unknown';

/** How the pipeline should treat an intent. */
export type RouteKind = 'tool' | 'knowledge' | 'handoff' | 'smalltalk' | 'unknown';

export function kindOfIntent(intent: RouteIntent): RouteKind {
  if ((TOOL_INTENTS as readonly string[]).includes(intent)) return 'tool';
  if (intent.startsWith('knowledge.')) return 'knowledge';
  if (intent === 'handoff_request') return 'handoff';
  if (intent === 'greeting') return 'smalltalk';
  return 'unknown';
}

export function isTrainedIntent(label: string): label is TrainedIntent {
  return (TRAINED_INTENTS as readonly string[]).includes(label);
}
