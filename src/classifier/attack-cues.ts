/**
 * Structural cues of an attack on an assistant, as extra features for the attack detector. Word and
 * character n-grams learn the wording of the collections they are shown; these cues name the moves
 * an attack makes whatever its wording or source: overriding earlier instructions, setting up a
 * persona or a world without rules, claiming authority, asking for secrets or for other people's
 * data, forcing compliance, hiding a task in a document, adversarial token soup. The lexicons are
 * general (written from the kinds of attack, not from any collection's rows); the detector learns
 * how much each cue, and each pair of cues, counts.
 */

/** One family of cues: a feature name and the expressions that raise it. */
interface CueFamily {
  readonly name: string;
  readonly pattern: RegExp;
}

/** Up to three words in between ("ignore all of your previous rules"). */
const GAP = "(?:\\W+[\\w'’]+){0,3}?\\W+";
const OVERRIDE_VERB =
  '(?:ignore|ignoring|disregard|forget|overlook|bypass|override|skip|abandon|discard|set aside|throw out|drop|suspend|disable|turn off|switch off|ignoriere|vergiss|ignora|olvida|oublie|ignorez|negeer|vergeet)';
/** The word that points back at what came before: what makes "ignore" an override, not a request. */
const POINTER =
  '(?:previous|prior|preceding|earlier|above|former|original|initial|old|existing|all|any|every|your|these|those|the|alle|deine|ihre|die|vorherigen|todas|las|tus|anteriores|toutes|les|vos|précédentes|tutte|le|tue|precedenti)';
const OVERRIDE_OBJECT =
  '(?:instructions?|directions?|directives?|rules?|guidelines?|orders?|prompts?|commands?|context|polic(?:y|ies)|restrictions?|programming|training|filters?|safeguards?|guardrails?|safety|checks?|verification|limits?|anweisungen|regeln|instrucciones|reglas|consignes|règles|istruzioni)';

const FAMILIES: readonly CueFamily[] = [
  {
    name: 'override',
    pattern: new RegExp(
      `\\b${OVERRIDE_VERB}(?:${GAP}${POINTER}${GAP}${OVERRIDE_OBJECT}|\\W+(?:everything|alles|todo|tout))\\b`,
      'i',
    ),
  },
  {
    name: 'new_task',
    pattern:
      /\b(?:new (?:task|tasks|instructions?|rules?|role|persona|assignment|objective|directive|mission)|from now on|starting now|start over|(?:your|the) (?:real|actual|true|new|only) (?:task|job|goal|purpose|instructions?)|instead,? (?:you|do|write|tell|answer)|neue aufgabe|ab jetzt|nouvelle tâche|nueva tarea)\b/i,
  },
  {
    name: 'persona',
    pattern:
      /\b(?:you are (?:now|no longer|going to be|free)|you're now|act (?:as|like)|pretend(?:ing)? (?:to be|you are|you're|that)|role-?play|imagine (?:you are|you're|that you)|in character|stay in character|play (?:the role|a game|the part)|simulate|you will (?:now )?(?:be|act|answer|respond) as|take on the (?:role|persona)|new persona|alter ego|du bist (?:jetzt|nun)|tu es maintenant|ahora eres)\b/i,
  },
  {
    name: 'no_limits',
    pattern:
      /\b(?:no (?:restrictions?|rules|limits|limitations|filters?|guidelines|censorship|ethics|morals|boundaries|policy|policies)|unfiltered|uncensored|unrestricted|unlimited|jailbr(?:oken|eak|eaking)|developer mode|dev mode|god mode|admin mode|maintenance mode|debug mode|freedom mode|dan\b|do anything now|without (?:any )?(?:restrictions?|limits|filters?|rules|guidelines|censorship|ethics)|not bound by|free (?:from|of) (?:all )?(?:rules|restrictions|guidelines)|filters? (?:are|is) off|safety (?:is|are) off)/i,
  },
  {
    name: 'secret',
    pattern:
      /\b(?:system (?:prompt|message|instructions?)|hidden (?:instructions?|text|prompt|rules|message)|initial (?:prompt|instructions?)|(?:your|the) (?:instructions|prompt|rules|guidelines) (?:verbatim|word for word|in full|above)|secret (?:key|word|code|password|token)|passwords?|passcodes?|api[- ]?keys?|credentials|\bpins?\b|one-time (?:pass)?code|security code|cvv|connection string|access tokens?|private key|confidential|internal (?:notes?|prompt|data|config)|config(?:uration)?\b)/i,
  },
  {
    name: 'others_data',
    pattern:
      /\b(?:(?:another|other|any|every|all|some|random|a different) (?:customers?|clients?|users?|account ?holders?|members?|people'?s? accounts?)|(?:customer|client|user) (?:no\.? |number |id |#)?[a-z]?_?\d{3,}|c_\d+|someone else'?s?|somebody else'?s?|(?:his|her|their|my (?:neighbou?r|sister|brother|ex|wife|husband|colleague|boss)'?s?) (?:account|balance|card|pin|statement|transactions|details|address|password)|customer (?:table|list|database|records?|files?)|(?:the|your) (?:database|user table|customer data))/i,
  },
  {
    name: 'authority',
    pattern:
      /\b(?:(?:i am|i'm|im|this is|as|speaking as) (?:the |an? |your |from (?:the )?)?(?:[\w-]+ ){0,2}(?:admin|administrator|developer|engineer|manager|ceo|cfo|owner|founder|auditor|regulator|police|officer|detective|security team|compliance|fraud team|head of|supervisor|staff|employee|it support|creator|operator|moderator|sysadmin|system administrator)|(?:authori[sz]ed|sanctioned|approved|cleared|permitted) (?:by|for this)|internal audit|(?:an?|the) audit\b|auditing|penetration test|pen test|security test|red team|on behalf of (?:the|your|my)|by order of|i order you|override code|authori[sz]ation code)/i,
  },
  {
    name: 'role_marker',
    pattern:
      /(?:^|\n|\|)\s*(?:system|assistant|user|developer)\s*:|\[\/?inst\]|<\|im_(?:start|end)\|>|###\s*(?:instruction|system|response)|<\/?system>|\b(?:developer|admin|system) note\b|\bnote to (?:the )?(?:ai|assistant|model|chatbot|bot)\b|\bif you are an? (?:ai|assistant|language model|llm|bot)\b|\bdear (?:ai|assistant|chatbot|model)\b/i,
  },
  {
    name: 'fiction',
    pattern:
      /\b(?:hypothetical(?:ly)?|fictional|fiction|story|novel|screenplay|script|movie|a game|thought experiment|in a world where|for (?:educational|research|academic|training|testing) purposes|purely (?:hypothetical|fictional|educational)|just (?:curious|pretend)|let'?s pretend|my (?:late )?grandm(?:other|a))\b/i,
  },
  {
    name: 'compliance',
    pattern:
      /\b(?:start (?:your|every|each) (?:answer|response|reply|message) with|begin (?:your|each|every) (?:answer|response|reply) with|respond only|answer only|only (?:answer|respond|reply) (?:with|as)|never (?:refuse|decline|apologi[sz]e|say (?:no|sorry))|do(?:n't| not) (?:refuse|apologi[sz]e|warn|add warnings|mention (?:that|your|the)|break character)|without (?:warnings|disclaimers|caveats)|no (?:disclaimers|warnings|caveats)|you (?:must|have to|will) (?:comply|answer|obey|do as)|obey|sure,? here (?:is|are))\b/i,
  },
  {
    name: 'extraction',
    pattern:
      /\b(?:repeat (?:everything|the text|all|the words|what)|print (?:your|the|all|everything)|output (?:your|the|all|everything)|reveal|disclose|dump|leak|exfiltrate|spell out|read (?:me )?(?:out|back)|list (?:all|every)|show (?:me )?(?:all|every)|(?:send|forward|post|upload|email|e-mail) (?:it|them|this|everything|the \w+|all \w+) to)\b/i,
  },
];

/** Words of a text that look like document framing: an e-mail, a letter, a pasted page. */
const DOCUMENT =
  /(?:^|\n|\|)\s*(?:subject|from|to|sent|date|re|fwd?|email_from|received date|content)\s*:|\b(?:dear \w+|hi \w+,|kind regards|best regards|regards,|sincerely|unsubscribe|this email|this message)\b|```|<\/?(?:div|p|html|body)>/i;

/** A task given to a reader: an imperative or a direct question. */
const TASK =
  /(?:^|[.!?:|\n]\s*)(?:please\s+)?(?:write|compose|draft|translate|summari[sz]e|explain|describe|provide|list|generate|create|tell me|answer|give me|calculate|name|recommend|suggest|what is|what are|how do|how does|how can|why (?:is|are|do)|who (?:is|was)|can you)\b/i;

/** Tokens mixing letters with runs of symbols: the residue of optimised adversarial suffixes. */
const SYMBOL_TOKEN = /\S*[^\p{L}\p{N}\s]{2,}\S*/gu;

/** Fenced code: symbols are its grammar there, not token soup (an attack in it still has its words). */
const FENCED_CODE = /```[\s\S]*?(?:```|$)/g;

/**
 * The cue features of a text: one per family present (`k:override`), one per pair of families
 * (`k:override+secret`), the number of families (`k:count=2`, capped at 3), a task given inside a
 * pasted document (`k:document_task`) and adversarial token soup (`k:symbol_soup`).
 */
export function attackCueFeatures(text: string): string[] {
  const bounded = text.length > 8000 ? text.slice(0, 8000) : text;
  const present = FAMILIES.filter((family) => family.pattern.test(bounded)).map((family) => family.name);
  const features = present.map((name) => `k:${name}`);
  for (let first = 0; first < present.length; first += 1)
    for (let second = first + 1; second < present.length; second += 1)
      features.push(`k:${present[first]}+${present[second]}`);
  if (present.length > 0) features.push(`k:count=${Math.min(3, present.length)}`);
  // A pasted document is not suspicious in itself, nor is the customer's own request about it
  // ("summarise this e-mail:"); a task given inside the document is.
  const document = DOCUMENT.exec(bounded);
  if (document && TASK.test(bounded.slice(document.index + document[0].length)))
    features.push('k:document_task');
  const prose = bounded.replace(FENCED_CODE, ' ');
  const tokens = prose.split(/\s+/).length;
  const symbolTokens = prose.match(SYMBOL_TOKEN)?.length ?? 0;
  if (tokens >= 8 && symbolTokens >= 3 && symbolTokens / tokens >= 0.12) features.push('k:symbol_soup');
  return features;
}
