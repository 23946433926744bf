/**
 * Decides whether a message actually asks Teller to change a card or open a dispute. The
 * classifier only says a message is *about* freezing or disputing; acting on that alone proposed
 * a freeze for "can you repeat back my card number?" and for a graphics "video card". A
 * state-changing action is proposed only when the message holds an explicit request: the action's
 * own verb, in a request (not a question about how, a past event, a hypothesis or a negation),
 * aimed at the customer's own card or transaction.
 */

/** The intents that change an account; every other intent only reads. */
export const STATE_CHANGING_INTENTS = [
  'freeze_card',
  'unfreeze_card',
  'report_card_lost',
  'dispute_transaction',
] as const;
export type StateChangingIntent = (typeof STATE_CHANGING_INTENTS)[number];

export function isStateChangingIntent(intent: string): intent is StateChangingIntent {
  return (STATE_CHANGING_INTENTS as readonly string[]).includes(intent);
}

/** Why a message does not ask for the action, for audit and tests; `undefined` when it does. */
export type NotARequestReason =
  | 'no_action_verb'
  | 'not_own_card'
  | 'other_kind_of_card'
  | 'question_about_how'
  | 'negated'
  | 'past_or_hypothetical';

// Card-ish nouns, with the common slips of the finger ("crad", "cadr").
const CARD = '(?:cards?|crads?|cadrs?|caards?|debit|credit|visa|mastercard|master card|amex)';

/** The action's own verbs, in the forms used to ask for it (typos included), never the past tense. */
const actionVerbs: Record<StateChangingIntent, RegExp> = {
  freeze_card:
    /\b(?:freeze|freez|frezze|freze|feeze|frreze|fereeze|block|blok|lock|suspend|pause|deactivate|disable|put (?:a |an )?(?:block|freeze|hold|stop) on|stop (?:my|the|all|both|it|this|that)\b.{0,30}\b(?:working|being used|payments?))\b/,
  unfreeze_card:
    /\b(?:unfreeze|un-?freez|unfrezze|unfreze|unfeeze|defrost|thaw|unblock|un-?block|unlock|un-?lock|reactivate|re-?activate|re-?enable|enable|(?:switch|turn) (?:\w+ ){0,3}back on|lift the (?:block|freeze))\b/,
  report_card_lost:
    /\b(?:lost|lsot|loast|lose|losing|loosing|misplaced|stolen|stole|nicked|pinched|pickpocketed|robbed|mugged|can'?t find|cannot find|can not find|missing|gone missing|report)\b/,
  dispute_transaction:
    /\b(?:dispute|disput|challenge|contest|chargeback|charge back|(?:don'?t|do not|didn'?t|did not) (?:recogni[sz]e|make|authori[sz]e)|never (?:made|authori[sz]ed)|not mine|no idea what|(?:don'?t|do not) know what|unauthori[sz]ed|fraudulent|charged (?:me )?twice|double charged|overcharged|wrong amount)\b/,
};

/** What the action must be aimed at: the customer's own card (or, for a dispute, a transaction). */
const ownTarget: Record<StateChangingIntent, RegExp> = {
  freeze_card: new RegExp(
    String.raw`\b(?:my|our|the|this|that|both|all)\s+(?:[\w-]+\s+){0,3}?${CARD}\b|\b${CARD}\s+(?:ending|ends|number ending|that ends)\b|<credit_card_\d+>|\b(?:freeze|block|lock) (?:it|them)\b`,
  ),
  unfreeze_card: new RegExp(
    String.raw`\b(?:my|our|the|this|that|both|all)\s+(?:[\w-]+\s+){0,3}?${CARD}\b|\b${CARD}\s+(?:ending|ends|number ending|that ends)\b|<credit_card_\d+>|\b(?:unfreeze|unblock|unlock) (?:it|them)\b`,
  ),
  report_card_lost: new RegExp(
    String.raw`\b(?:my|our|the|this|that|both|all)\s+(?:[\w-]+\s+){0,3}?(?:${CARD}|wallet|purse|handbag|bag)\b|\b${CARD}\s+(?:ending|ends|number ending|that ends)\b|<credit_card_\d+>`,
  ),
  dispute_transaction:
    /\b(?:transactions?|payments?|charges?|debits?|purchases?|refunds?|ref|reference|it|this|that|one)\b/,
};

/** Cards that are not bank cards: "video card", "card game", "birthday card"... */
const otherKindOfCard =
  /\b(?:video|graphics|gpu|sound|network|wifi|sim|memory|sd|micro ?sd|flash|game|playing|trading|pokemon|tarot|birthday|greeting|christmas|xmas|wedding|thank you|post|index|report|score|business|loyalty|reward|library|student|id|identity|membership|gym|key|rail|railcard|oyster|parking|red|yellow|wild|sports?)\s+cards?\b|\bcards? (?:games?|tricks?|table|decks?|readers? slot|shop)\b|\bdeck of cards\b|\bgpu\b|\bgraphics\b|\bfootball\b|\bpoker\b|\bsolitaire\b|\bblackjack\b|\bpc\b|\blaptop\b|\bcomputer\b|\bscreen\b|\bfreezer\b|\bfridge\b|\bice\b|\bweather\b|\bfrozen (?:food|peas|pipes?|yoghurt|yogurt)\b|\b(?:elsa|disney)\b/;

/** Someone else's card: the tools act only on the customer's own cards. */
const someoneElsesCard = new RegExp(
  String.raw`\b(?:(?:my\s+)?(?:\w+'s|his|her|their|your|someone'?s|somebody'?s|a friend'?s|another person'?s)\s+(?:(?!my\b)[\w-]+\s+){0,2}?${CARD})\b`,
);

/** Asking how, whether or what happens: may be explained, never acted on. */
const questionAboutHow =
  /^(?:how|what|why|when|where|which|who|whom|whose|does|do|did|is|are|was|were|will|would (?:it|that|freezing)|should|if|in case|whats|what's|hows|how's|can i|could i|may i|am i able)\b|\b(?:how (?:do|can|would|should|to|long|does)|what (?:happens|would happen|does|is the process|are the steps)|is it possible|am i able|is there a way|the steps to|way to|possible to|tell me (?:how|about|what)|explain|instructions?|in the app|on the app|through the app|online banking|wondering|curious|just asking|out of interest|in general|generally|hypothetically)\b/;

/** A request introduced politely is a request even though it is phrased as a question. */
const politeRequest =
  /^(?:(?:hi|hello|hey|please|pls|plz|ok|okay|right|urgent|urgently|quick|quickly)[\s,!.]+)*(?:can|could|would|will) (?:you|u|ya|someone|somebody|teller)\b(?! (?:tell|explain|show|repeat|read|confirm|say|check|let))/;

const negated =
  /\b(?:don'?t|do not|dont|doesn'?t|does not|didn'?t want|no need|not want|never|without|stop asking|shouldn'?t|should not|won'?t|will not|not going to|rather not|instead of)\s+(?:\w+\s+){0,3}?(?:freeze|freez|block|lock|unfreeze|unblock|unlock|report|dispute|cancel)\b/;

/** Events in the past or hypotheses about the action, told rather than asked for. */
const pastOrHypothetical =
  /\b(?:i|we|you|it|card|they)\s+(?:(?:already|just|have|has|had|'ve|'d)\s+)*(?:froze|frozen|unfroze|unfrozen|blocked|unblocked|locked|unlocked|disputed|reported)\b|\b(?:was|were|been|is|got|get|gets|getting)\s+(?:\w+\s+)?(?:frozen|blocked|locked|unfrozen|unblocked|declined|suspended)\b|\b(?:yesterday|last (?:week|month|year|time)|ago|earlier today|before)\b.{0,60}\b(?:froze|blocked|locked|disputed|reported)\b|\bif i (?:freeze|block|lock|unfreeze|unblock|report|dispute)\b|\bwhat if\b|\bsuppose\b|\bwould (?:freezing|blocking)\b/;

/** "If I lose my card...", "what if someone stole it": a hypothesis about the action itself. */
const hypothesis =
  /\b(?:if|in case|what if|suppose|supposing|hypothetically)\b.{0,25}\b(?:lose|lost|stolen|stole|freeze|block|lock|unfreeze|unblock|unlock|dispute|report)\b/;

/** A loss or dispute already dealt with, or a card found again: told, not asked for. */
const alreadyDealtWith =
  /\b(?:i|we)\s+(?:(?:already|just|have|had|'ve|'d)\s+)*(?:reported|disputed|found)\b|\blast time\b|\bfound (?:it|them|my|the)\b|\bturned up\b|\bgot (?:it|them) back\b/;

/**
 * True when `text` (redacted customer text) explicitly asks for `intent` on the customer's own
 * card or transaction. For read-only intents it is always true: only state changes are gated.
 */
export function asksForAction(text: string, intent: string): boolean {
  return notARequestReason(text, intent) === undefined;
}

/** Why `text` is not a request for `intent`, or `undefined` when it is one. */
export function notARequestReason(text: string, intent: string): NotARequestReason | undefined {
  if (!isStateChangingIntent(intent)) return undefined;
  const normalised = text.toLowerCase().replace(/[’‘`]/g, "'").replace(/\s+/g, ' ').trim().slice(0, 600);
  if (!actionVerbs[intent].test(normalised)) return 'no_action_verb';
  if (otherKindOfCard.test(normalised)) return 'other_kind_of_card';
  if (negated.test(normalised)) return 'negated';
  // Losing and disputing are asked for in the past tense ("I've lost my card"); freezing is not.
  const toldNotAsked =
    intent === 'report_card_lost' || intent === 'dispute_transaction'
      ? alreadyDealtWith.test(normalised)
      : pastOrHypothetical.test(normalised);
  if (toldNotAsked) return 'past_or_hypothetical';
  if (hypothesis.test(normalised)) return 'past_or_hypothetical';
  if (questionAboutHow.test(normalised) && !politeRequest.test(normalised)) return 'question_about_how';
  if (someoneElsesCard.test(normalised)) return 'not_own_card';
  if (!ownTarget[intent].test(normalised)) return 'not_own_card';
  return undefined;
}
