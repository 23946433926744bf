/**
 * Weighted pattern rules for prompt injection. Each rule proposes a score; several weak rules
 * combine (noisy-OR), one strong rule suffices. Patterns target the *grammar* of an attack
 * ("ignore … instructions", "you are now …", "reveal … system prompt"), not single trigger words,
 * so banking phrases such as "ignore the pending transaction" or "override my daily limit" pass.
 * Patterns are written in lower case so that the fast case-insensitive path applies to them.
 */

import { PatternSet } from '../../text/pattern-set.js';

export interface InjectionRule {
  readonly id: string;
  readonly weight: number;
  readonly pattern: RegExp;
  /**
   * Rules about what a *customer* asks the model for ("what is your password", "Susan's email").
   * Policy documents legitimately say "do not share your passcode" to the reader, so these rules do
   * not apply when screening retrieved passages and tool results.
   */
  readonly messageOnly?: boolean;
}

/** Where the text being scored came from. */
export type InjectionContext = 'message' | 'content';

const INSTRUCTIONS =
  '(?:instructions?|rules|directives?|prompts?|guidelines|guidance|commands?|programming|constraints|orders|tasks?|context|conversation)';
const PREVIOUS = '(?:previous|prior|above|earlier|preceding|former|initial|original|old|all|any|your|system)';
const VERB =
  "(?:ignore|disregard|forget|skip|bypass|override|overwrite|discard|abandon|set aside|neglect|stop following|do not follow|don't follow)";

export const INJECTION_RULES: readonly InjectionRule[] = [
  {
    id: 'injection.ignore_instructions',
    weight: 0.95,
    pattern: new RegExp(
      `\\b${VERB}\\b[^.!?\\n]{0,40}?\\b${PREVIOUS}\\b[^.!?\\n]{0,30}?\\b${INSTRUCTIONS}\\b`,
      'iu',
    ),
  },
  {
    id: 'injection.ignore_the_instructions',
    weight: 0.8,
    pattern: new RegExp(
      `\\b${VERB}\\b\\s+(?:the|these|those)\\s+(?:instructions|prompt|directives|system prompt|guidelines|rules (?:above|you were given))\\b`,
      'iu',
    ),
  },
  {
    id: 'injection.regardless_previous',
    weight: 0.8,
    pattern:
      /\b(?:regardless of|instead of|rather than|never mind)\s+(?:the\s+|your\s+|all\s+)?(?:previous|prior|earlier|above|original)\s+(?:tasks?|instructions?|requests?|questions?|prompts?)\b/iu,
  },
  {
    id: 'injection.what_i_said_before',
    weight: 0.75,
    pattern:
      /\b(?:what|everything|all) (?:i|you) (?:said|wrote|told you|were told|was told) (?:before|earlier|above)\b|\b(?:zuvor|vorher) gesagte\b|\balles (?:davor|vorher|zuvor)\b/iu,
  },
  {
    id: 'injection.amnesia',
    weight: 0.6,
    pattern: /\b(?:has|have|with) amnesia\b|\bforg(?:o|e)t everything\b|\bvergiss alles\b/iu,
  },
  {
    id: 'injection.act_as_persona',
    weight: 0.8,
    pattern:
      /\bi want you to (?:act|behave|pretend|respond|play)\b|\byou will (?:act|play the role|pretend) as\b|\bich möchte, dass (?:du|sie) (?:als|wie)\b|\bquiero que (?:actúes|act[uú]es) como\b|\bje veux que tu (?:agisses|joues)\b/iu,
  },
  {
    id: 'injection.authority_claim',
    weight: 0.75,
    pattern:
      /\b(?:i am|i'm) (?:your|the|an?) (?:developer|creator|admin(?:istrator)?|owner|programmer|system administrator)\b|\b(?:maintenance|debug|override|admin|system|god|sudo|root) mode\b|<\s*system mode\s*>|\bas an ai (?:developed|made|created) by\b|\boverride (?:code|mode|authori[sz]ation)\b/iu,
  },
  {
    id: 'injection.password_request',
    messageOnly: true,
    weight: 0.8,
    pattern:
      /\b(?:what(?:'s| is)|tell me|reveal|give me|share(?: with me)?|confirm|provide|print|spell)\b(?:(?!reset|change|forg|unlock|update|new\b)[^.!?\n]){0,15}\b(?:your|the)\s+(?:secret|password|passcode|passphrase|pass code|secret key|access code)\b(?!\s+(?:requirements?|rules|policy|reset|for my))|\b(?:contraseña|mot de passe|passwort|パスワード|密码|비밀번호|senha)\b/iu,
  },
  {
    id: 'injection.other_users_data',
    messageOnly: true,
    weight: 0.8,
    pattern:
      /\b(?:the|other|another|all|every) (?:user|users|customer|customers|client|clients)(?:'s|s')?\b[^.!?\n]{0,25}\b(?:email|address|balance|details|data|password|location|phone|account number|live|living|name|date of birth|birthday)\b|\b(?:print|dump|export|show me) (?:your|the) (?:database|user table|customer list)\b/iu,
  },
  {
    id: 'injection.system_password',
    messageOnly: true,
    weight: 0.7,
    pattern:
      /\b(?:your|our|the system(?:'s)?|system|admin|the secret) (?:password|passcode|passphrase|secret key|access code)s?\b|\babout the password\b|\bthe password (?:as|in|backwards|letter)\b/iu,
  },
  {
    id: 'injection.named_person_data',
    messageOnly: true,
    weight: 0.55,
    pattern:
      /(?:\b[A-Z][a-z]+|<PERSON_\d+>)'s (?:e-?mail(?: address)?|birth ?date|date of birth|home address|address|phone(?: number)?|password|account number|balance|location|salary)\b/u,
  },
  {
    id: 'injection.hidden_comment',
    weight: 0.8,
    pattern:
      /<!--[^>]{0,400}\b(?:ignore|instead|state|say|tell|respond|reply|print|output|assistant|ai|as a security measure|hypothetical)\b/iu,
  },
  {
    id: 'injection.decode_and_follow',
    messageOnly: true,
    weight: 0.55,
    pattern:
      /\b(?:decode|decipher|decrypt|translate)\b[^.!?\n]{0,25}\b(?:base64|hex(?:adecimal)?|binary|morse|rot13|caesar|cipher|encoded)\b/iu,
  },
  {
    id: 'injection.answer_with',
    messageOnly: true,
    weight: 0.45,
    pattern: /\b(?:say|answer with|respond with|reply with|antworte mit|sag(?:e)?|di|dis)\s+["'“„]/iu,
  },
  {
    id: 'injection.must_answer',
    messageOnly: true,
    weight: 0.6,
    pattern:
      /\byou are supposed to (?:answer|respond|reply)\b|\bnot supposed to tell me\b|\byou (?:must|have to) answer (?:all|every|any)\b/iu,
  },
  {
    id: 'injection.cjk_ignore',
    weight: 0.9,
    pattern:
      /(?:무시|無視|忽略|忽视|不要理会)[^。.!?\n]{0,10}(?:지시|指示|指令|命令|说明)|(?:이전|以前|之前|先前)[^。.!?\n]{0,6}(?:지시|指示|指令|命令)[^。.!?\n]{0,8}(?:무시|無視|忽略|忽视)/u,
  },
  {
    id: 'injection.ignore_everything',
    weight: 0.9,
    pattern:
      /\b(?:ignore|forget|disregard)\s+(?:everything|all(?: of)? (?:that|this|the above))\b(?!\s+(?:about|on|in)\s+(?:my|the)\s+(?:account|card|statement|transaction))/iu,
  },
  {
    id: 'injection.ignore_told',
    weight: 0.9,
    pattern:
      /\b(?:ignore|forget|disregard)\b[^.!?\n]{0,30}\b(?:you (?:have been|were|was|'ve been) (?:told|given|instructed|programmed))/iu,
  },
  {
    id: 'injection.new_instructions',
    weight: 0.8,
    pattern:
      /\b(?:new|updated|real|actual|revised|secret|hidden|additional)\s+(?:instructions?|task|rules|directives?|system prompt|objective)\s*(?::|are|is)/iu,
  },
  {
    id: 'injection.from_now_on',
    weight: 0.6,
    pattern: /\bfrom now on\b[^.!?\n]{0,40}\b(?:you|your|respond|answer|act|reply)\b/iu,
  },
  {
    id: 'injection.you_are_now',
    weight: 0.75,
    pattern: /\byou(?:'re| are) (?:now|no longer)\b|\byou will now (?:act|be|respond|pretend)/iu,
  },
  {
    id: 'injection.persona',
    weight: 0.9,
    pattern:
      /\b(?:act|behave|respond|roleplay|role-play|pretend(?: to be)?)\s+(?:as|like)\s+(?:an?\s+)?(?:unrestricted|unfiltered|uncensored|jailbroken|evil|malicious|rogue|dan\b|different (?:ai|model|assistant)|ai without|(?:ai|model|assistant|chatbot) (?:with no|without))/iu,
  },
  {
    id: 'injection.dan',
    weight: 0.95,
    pattern:
      /\bdo anything now\b|\b(?:you are|you're|act as|become|enable|activate)\s+dan\b|\bdan mode\b|\b(?:you are|you're|be|become|act|stay|remain)\s+(?:now\s+)?jailbroken\b|\bjailbroken (?:mode|ai|assistant|model|version|chatbot)\b|\bjailbreak (?:mode|prompt)\b|\b(?:enter|enable|activate) developer mode\b|\bdeveloper mode (?:enabled|on)\b|\bstan mode\b/iu,
  },
  {
    id: 'injection.no_restrictions',
    weight: 0.8,
    pattern:
      /\b(?:without|no|free (?:of|from)|ignore (?:all|any|your))\s+(?:any\s+)?(?:ethical |moral |content |safety )?(?:restrictions|filters|limitations|censorship|guardrails|safety (?:rules|guidelines)|policies)\b[^.!?\n]{0,40}\b(?:you|answer|respond|reply|ai|model)\b|\bpretend (?:that )?you (?:have|had) no (?:rules|restrictions|filters|limits)/iu,
  },
  {
    id: 'injection.prompt_extraction',
    weight: 0.95,
    pattern:
      /\b(?:reveal|show|print|repeat|output|display|leak|dump|tell me|give me|share|write out|spell out|what (?:is|are|was|were))\b[^.!?\n]{0,25}\b(?:your|the|its)\s+(?:full\s+|entire\s+|exact\s+|original\s+|initial\s+|hidden\s+|secret\s+|internal\s+)*(?:system|initial|original|hidden|secret|internal|developer|pre-?)\s*(?:prompt|instructions?|message|rules|configuration)/iu,
  },
  {
    id: 'injection.repeat_above',
    weight: 0.8,
    pattern:
      /\b(?:repeat|print|output|copy|recite)\b[^.!?\n]{0,20}\b(?:everything|all|the (?:text|words|lines)|the above)\b[^.!?\n]{0,20}\b(?:above|before|so far|verbatim|starting with)/iu,
  },
  {
    id: 'injection.secret_key',
    messageOnly: true,
    weight: 0.7,
    pattern:
      /\b(?:what(?:'s| is)|tell me|reveal|give me|share)\s+(?:your|the)\s+(?:secret|password|passcode|hidden|confidential)\b(?!\s+(?:question|word for my account))/iu,
  },
  {
    id: 'injection.role_marker',
    weight: 0.85,
    pattern:
      /(?:^|\n|\s)(?:system|assistant|developer)\s*:\s*\S|<\|?(?:im_start|im_end|system|endoftext)\|?>|\[\/?(?:inst|sys)\]|<<sys>>|###\s*(?:instruction|system)|<\/?system>/iu,
  },
  {
    id: 'injection.addressed_to_ai',
    weight: 0.85,
    pattern:
      /\b(?:note|instruction|message|attention)\s+(?:to|for)\s+(?:the\s+|any\s+)?(?:ai|assistant|llm|chatbot|language model|model|bot)\b|\bif you are an?\s+(?:ai|llm|language model|assistant|chatbot)\b|\b(?:ai|llm|assistant|chatbot)s?\s+(?:reading|processing|summari[sz]ing) this\b/iu,
  },
  {
    id: 'injection.override_safety',
    weight: 0.85,
    pattern:
      /\b(?:override|bypass|disable|turn off|circumvent|deactivate)\s+(?:your|the|all|any)\s+(?:safety|security|content|ethical)?\s*(?:filters?|guardrails?|restrictions|safeguards|rules|protocols|programming|guidelines|policy|policies)\b/iu,
  },
  {
    id: 'injection.hypothetical_unlock',
    weight: 0.5,
    pattern:
      /\b(?:hypothetically|in a fictional world|for a story|in this game)\b[^.!?\n]{0,60}\b(?:no rules|anything|unrestricted|illegal)/iu,
  },
  {
    id: 'injection.instead_say',
    weight: 0.6,
    pattern:
      /\b(?:instead|rather)\b[^.!?\n]{0,20}\b(?:say|output|print|respond with|reply with|write)\s+["'“]/iu,
  },
  // Multilingual: the commonest phrasings in German, French, Spanish, Italian, Portuguese and Dutch.
  {
    id: 'injection.multilingual_ignore',
    weight: 0.9,
    pattern:
      /\b(?:vergiss|ignorier(?:e|en)?|missachte)\b[^.!?\n]{0,40}\b(?:alles|anweisungen|befehle|vorgaben|regeln|aufgaben)\b|\b(?:ignore[rz]?|oublie[rz]?)\b[^.!?\n]{0,30}\b(?:instructions|consignes|règles)\b|\b(?:ignora|olvida|olvide|ignore)\b[^.!?\n]{0,30}\b(?:instrucciones|indicaciones|reglas|istruzioni|regole|instruções|regras)\b|\b(?:negeer|vergeet)\b[^.!?\n]{0,30}\b(?:instructies|regels)\b/iu,
  },
  {
    id: 'injection.multilingual_new_task',
    weight: 0.7,
    pattern:
      /\b(?:neue (?:aufgabe|anweisung)|du bist (?:jetzt|nun|ab sofort)|nouvelle (?:tâche|instruction)|tu es maintenant|nueva (?:tarea|instrucción)|ahora eres|nuova istruzione|ora sei)\b/iu,
  },
  {
    id: 'injection.multilingual_prompt',
    weight: 0.85,
    pattern:
      /\b(?:systemprompt|system-prompt|prompt (?:du |del )?syst[eè]me|prompt del sistema|instrucciones del sistema)\b/iu,
  },
];

/** The rules that apply in each context, compiled once (same answers as each regex, see pattern-set.ts). */
const RULES_BY_CONTEXT: Readonly<Record<InjectionContext, PatternSet<InjectionRule>>> = {
  message: new PatternSet(INJECTION_RULES, (rule) => [rule.pattern]),
  content: new PatternSet(
    INJECTION_RULES.filter((rule) => !rule.messageOnly),
    (rule) => [rule.pattern],
  ),
};

/** Noisy-OR of the matching rules' weights, with the matched rule ids. */
export function scoreInjectionPatterns(
  text: string,
  context: InjectionContext = 'message',
): { score: number; rules: string[] } {
  let miss = 1;
  const rules: string[] = [];
  for (const { item: rule } of RULES_BY_CONTEXT[context].matching(text)) {
    miss *= 1 - rule.weight;
    rules.push(rule.id);
  }
  return { score: 1 - miss, rules };
}
