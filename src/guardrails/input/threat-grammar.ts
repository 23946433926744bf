/**
 * A grammar of threats of violence, built from word lists rather than one pattern per phrasing:
 * a speaker's intent (including slang and dropped apostrophes: "ima", "gonna", "ill", "im gonna"),
 * an act of violence, and a person as its object. Menace without a violent verb ("watch your back",
 * "I know where your manager lives"), weapons brought to a branch, harm to staff spoken of as about
 * to happen, and calls for violence against people or groups ("they should all be shot") are their
 * own rules. A threat is a safety handoff, so the rail fires when this grammar, a policy pattern or
 * the threat model says so. The object must be a person: "I'll kill the card", "the fraud is killing
 * me", "stolen at gunpoint" and "shoot me an email" are ordinary banking and must not match.
 */

/** Who is speaking, with the intent to act: "I'll", "im gonna", "we are going to", "me and my lads will". */
const SPEAKER =
  '(?:i|we|me and the (?:boys|lads)|the (?:boys|lads) and (?:i|me)|me and (?:my|me) (?:mates|lads|boys|brothers|friends)|my (?:mates|lads|boys|brothers?|friends|cousins?|dad|husband|sons?|uncles?|boyfriend|family|gang|people)(?: and i)?)';
const INTENT = `(?:['’]?ll|['’]?m|['’]?d| will| shall| would| am| are| wanna| want to| gonna| gunna| going to| about to| bout to| intend to| plan to| promise(?: to| i will| i['’]ll)?| swear(?: i will| i['’]ll| to god i will| to god i['’]ll)?| could| might| can)?(?: (?:gonna|going to|gunna|about to|bout to|fucking|literally|actually|really|personally|just|definitely|soon|love to|like to|happily|gladly|want to|wanna|have to|need to|gotta|ought to|should|could|would|will|be able to|get to|go and|come and|come (?:down|round|over|in)(?: there| here)? and|be coming (?:down|round|over)? ?to \\w+ (?:and|to)))*`;
/** Slang contractions of "I'm going to" that carry the intent on their own. */
const SLANG_SPEAKER =
  "(?:ima|imma|i[’']?ma|im(?: gonna| going to| gunna| about to| bout to)|ill|finna|(?<=^|[.!?,;:] ?)(?:gonna|gunna|going to|wanna|let me|lemme|will))";

/** Acts of violence that always mean harm when aimed at a person. */
const VIOLENT_ACT =
  '(?:kill|murder|stab|shoot|strangle|choke|hang|lynch|beat(?: up)?|batter|punch|kick|slap|smack|thump|deck|glass|knife|slash|gut|torch|burn|bomb|blow up|shoot up|break|snap|smash|hurt|harm|attack|assault|rape|maim|cripple|torture|poison|run over|run down|skin|behead|bury|end|finish off|do in|take out|waste|batter|bash|cave in|rip apart|tear apart|strangle|suffocate|drown|set fire to|acid)';

/** A person, or people, as the object of an act: the customer service side or anyone at all. */
const STAFF =
  '(?:staff|manager|managers|cashiers?|tellers?|clerks?|advis[eo]rs?|agents?|guards?|employees?|workers?|colleagues?|people|person|family|families|kids|children|wife|husband|mum|mother|dad|son|daughter|boss|bosses|ceo|director|directors|bankers?|call centre|team|lot|guy|bloke|woman|man|girl|lady|receptionist|security)';
const PERSON = `(?:you|u|ya|yous|you all|you lot|y['’]?all|him|her|them|em|everyone|everybody|someone|somebody|anyone|anybody|whoever|the lot of (?:you|them)|all of (?:you|them)|each (?:and every )?one of (?:you|them)|every (?:last |single )?(?:one|person|one of (?:you|them))|(?:your|ur|yer|the|that|this|those|these|his|her|their|every|each|all|all the|some|a|an|any|next|first|one of (?:your|the|ur))(?: (?:fucking|effing|bloody|stupid|useless|damn|little|whole|last|single|first|next|poor|lazy|idiot|\\w+(?:['’]s)?))?(?: \\w+)? ${STAFF})`;

const WORD = (source: string) => `(?<![\\w'’])(?:${source})(?![\\w'’])`;
/** What follows a person when the verb is an errand, not an act: "shoot you an email", "beat you to it". */
const NOT_AN_ACT =
  '(?! (?:(?:an?|the|my|your|our|some|over|back|through|quick|another|that)\\s)*(?:e-?mails?|messages?|texts?|notes?|lines?|dms?|links?|invoices?|copy|copies|details|forms?|reply|update|call|ring|quote|cheque|check|deal|break|slack|favou?r|refund|money|cash|payment|statement|to it|to the|out of|off (?:the|my|your|this|our)|of (?:the|my|this)))';

/** Harm done by money, not by a person: "someone is going to get hurt by these fees". */
const NOT_BY_MONEY =
  '(?! (?:by|in|from|with|on) (?:a |the |these |those |this |my |your )?(?:scams?|fraud|fees?|charges?|interest|rates?|cuts?|changes?|decision|prices?))';

/** Named rules (lower case: the text is lower-cased before matching), so the verdict can say which one spoke. */
const RULES: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  {
    name: 'intent to harm a person',
    pattern: new RegExp(
      WORD(
        `(?:${SPEAKER}${INTENT}|${SLANG_SPEAKER}) (?:(?:go|come|be) (?:down |round |over )?(?:there |here )?(?:and |to )?)?${VIOLENT_ACT} (?:(?:off|up|down|in|out) )?${PERSON}${NOT_AN_ACT}|(?:${SPEAKER}${INTENT}|${SLANG_SPEAKER}) (?:run|knock|do|finish|string|bump|beat|mow|gun|fuck|f\\*+k|mess|rough|duff|smash|carve|blow|shoot) ${PERSON} (?:over|down|out|in|off|up|open)\\b(?! (?:of|for|to|on|the|my|a|an)\\b)`,
      ),
      '',
    ),
  },
  {
    name: 'someone told to harm a person',
    pattern: new RegExp(
      WORD(
        `(?:(?<=^|[.!?;:] ?)(?:just |go |go and |somebody |someone |anybody |someone needs to |someone should |somebody should |somebody needs to |someone ought to |someone has to |someone gotta )|(?:someone|somebody|anybody|anyone|people|we all|y['’]?all|you lot) (?:should|needs? to|ought to|has to|have to|gotta|must|will) (?:just |really |finally )?)${VIOLENT_ACT} (?:(?:off|up|down|in|out) )?${PERSON}${NOT_AN_ACT}|(?:punch|kick|slap|hit|smack|shoot|stab|headbutt|knee|thump|deck|glass) (?:${PERSON}) (?:right |square )?in the (?:face|head|mouth|throat|chest|back|balls|teeth|gut|neck|eye|nose)`,
      ),
      '',
    ),
  },
  {
    name: 'harm to a person in a given way',
    pattern: new RegExp(
      WORD(
        `(?:break|snap|smash|cave in|slit|cut|bust|stamp on|kick in|bash in|knock out|rip out|pull out|knock|rip|kick|blow|bash|smash in|stove in) (?:your|ur|his|her|their|the \\w+['’]s|every|some|all your) (?:fucking |bloody |\\w+ )?(?:legs?|arms?|neck|necks|face|faces|bones?|teeth|skulls?|heads?|fingers?|knees?|kneecaps?|jaw|nose|throats?|ribs?|brains?|lights|block)(?: (?:in|out|off))?`,
      ),
      '',
    ),
  },
  {
    name: 'coming for a person',
    pattern: new RegExp(
      WORD(
        `(?:${SPEAKER}${INTENT}|${SLANG_SPEAKER}) (?:come|coming|be coming|go|going) (?:for|after) (?:${PERSON})|(?:${SPEAKER}${INTENT}|${SLANG_SPEAKER}) (?:hunt|track) (?:down (?:${PERSON})|(?:${PERSON}) down)|(?:${SPEAKER}${INTENT}|${SLANG_SPEAKER}) (?:find|get|pay|visit|sort out|deal with|teach|make) (?:${PERSON})(?: (?:a visit|a lesson|pay|suffer|bleed|sorry|regret|down|with|and|when|one day|soon|wherever|outside|after work|yet))`,
      ),
      '',
    ),
  },
  {
    name: 'menace',
    pattern: new RegExp(
      WORD(
        `(?:you|u|ya|you lot|your (?:staff|manager|bank)|they)(?:['’]ll| will| are going to| re going to|['’]re going to| gonna| shall) (?:regret (?:this|it|that|the day|ever)|be sorry|pay for (?:this|that|it))|watch your (?:back|step|family)|watch (?:his|her|their) back|look(?:ing)? over (?:your|ur) shoulder|sleep with one eye open|(?:i|we) know where (?:you|u|ur|your \\w+(?: \\w+)?|the \\w+(?: \\w+)?|he|she|they) (?:live|lives|work|works|park|parks|sleep|sleeps|go|goes|drink|drinks)|(?:you(?:['’]re| are)|ur|your \\w+ (?:is|are)) (?:dead|dead meat|a dead man|finished|going to get it|gonna get it)(?! (?:end|wrong|slow|loss|on arrival|serious))|dead m[ae]n walking|your days are numbered|(?:expect|wait for|there will be) a (?:little )?visit from (?:me|us)|you(?:['’]ve| have) been warned|see what happens (?:to|when)|you won['’]?t (?:like|enjoy) what happens|accidents happen|(?:check|look) under (?:your|his|her|their) car|(?:something|someone) (?:bad|nasty|terrible)? ?(?:will|is going to|gonna) happen to (?:you|your|the|him|her)|(?:lock|better lock) your doors|you(?:['’]re| are)? next\\b(?! (?:in|on) (?:the )?(?:queue|line|list))|take (?:you|your \\w+|the \\w+|them|him|her|everyone) (?:down )?with me|teach (?:${PERSON}) a (?:\\w+ )?lesson|(?:you|u)(?:['’]d| had) better (?:hope|pray)|(?:you|u|they|he|she)(?:['’]re| are| is|['’]s)? (?:gonna|going to|will) get what['’]?s coming|what['’]?s coming to (?:you|him|her|them)|say goodbye to (?:your|ur) (?:family|kids|children|wife|husband|legs|knees|teeth|life)|(?:never|won['’]?t) (?:walk|see|talk|breathe) again|(?:pay|paying) (?:${PERSON}) a (?:little |proper )?visit|(?:in|into) a body bag|won['’]?t (?:see|live to see|make it to) (?:christmas|tomorrow|next week|the weekend|another day)`,
      ),
      '',
    ),
  },
  {
    name: 'weapon or bomb at a branch',
    pattern: new RegExp(
      WORD(
        `(?:bomb|explosive|device|pipe bomb|grenade)s? (?:in|at|on|under|inside|outside) (?:your|ur|the|that|this|every) (?:\\w+ )?(?:branch|branches|bank|office|building|call centre|hq|headquarters)|(?:planted|placed|left|put|set) (?:a |an )?(?:bomb|explosive|device|pipe bomb)|(?:bomb|blow up|blow|burn down|burn|torch|shoot up|firebomb|petrol bomb|set fire to|ram|drive (?:a|my) (?:car|van|truck) into) (?:your|ur|the|that|this|every|each|one of your) (?:\\w+ )?(?:branch|branches|bank|office|offices|building|call centre|hq|headquarters|place)(?! (?:account|card|app|details|transfer|statement))|(?:${SPEAKER}${INTENT}|${SLANG_SPEAKER}) (?:be |come |go |turn up |show up )?[^.?!]{0,60}\\bwith (?:a|my|an|some|me) (?:loaded |sawn off |big )?(?:gun|guns|knife|knives|blade|machete|shotgun|rifle|pistol|crowbar|baseball bat|bat|hammer|axe|acid|petrol|shooter|shank|weapon|weapons)(?![\\w'’])(?! (?:crime|amnesty|license|licence|shop|insurance|dealer|club))|(?:i|we)(?:['’]?m| am| are)? (?:armed|tooled up)\\b(?! with (?:information|facts|evidence|receipts|proof|the|my|all))|(?:i|we)(?:['’]ll| will| am going to|['’]m going to| gonna)? (?:get|grab|fetch|load) (?:my|a|the) (?:gun|knife|shotgun|rifle|machete|blade|bat|crowbar|piece)|(?:blow|shoot|burn|smash|tear) (?:the|this|your|that) (?:place|branch|bank|office|building) (?:up|down|apart)|(?:bring|bringing|brought|take|taking|carry|carrying|come (?:in |down |back )?with|coming (?:in |down |back )?with|turn up with|show up with|visit with|a visit with|armed with|got|have|packing|tooled up with) (?:a|my|an|the|some|me) (?:loaded |sawn off |big )?(?:gun|guns|knife|knives|blade|machete|shotgun|rifle|pistol|crowbar|baseball bat|bat|hammer|axe|acid|petrol|piece|shooter|shank|weapon|weapons)(?! (?:crime|amnesty|license|licence|shop|insurance|dealer|club))`,
      ),
      '',
    ),
  },
  {
    name: 'harm to a person about to happen',
    pattern: new RegExp(
      WORD(
        `(?:${PERSON}|somebody|someone|people)(?:(?: will| ?['’]ll| is going to| are going to| gonna| going to) (?:get |be |getting )?| gets? )(?:hurt|shot|stabbed|killed|beaten(?: up)?|a slap|slapped|smacked|a kicking|a beating|battered|glassed|hanged|hung|burned|burnt)${NOT_BY_MONEY}|(?:${PERSON}|somebody|someone|people)(?: will| ?['’]ll| is going to| are going to| gonna| going to) end up (?:dead|in (?:a&e|hospital|a coffin|a body bag|the morgue|intensive care)|in the ground|six feet under)${NOT_BY_MONEY}`,
      ),
      '',
    ),
  },
  {
    name: 'call for violence against people',
    pattern: new RegExp(
      WORD(
        `(?<!(?:policy|policies|card|cards|account|accounts|app|fee|fees|idea|scheme|service|product|system|rule|rules|law|website|site|charge|charges|overdraft|this|that|it) )(?:should|must|need to|needs to|ought to|deserve to|deserves to|have to|has to|want to see|wanna see|would love to see|hope to see|gotta) (?:all |every one of them |each )?(?:be |get )?(?:all )?(?:\\w+ (?:and |then |and then )+)?(?:shot(?! of)|castrated|put against a wall|sterili[sz]ed|killed|hanged|hung|lynched|gassed|burned(?: alive)?|burnt(?: alive)?|executed|exterminated|eradicated|wiped out|wiped off|put down|put to death|beaten|stoned|strung up|beheaded|slaughtered|murdered|massacred|bombed|nuked|tortured|die|dead|culled)|(?:kill|shoot|hang|gas|exterminate|eradicate|wipe out|lynch|string up|round up|burn|nuke|bomb|slaughter|execute|behead|deport and shoot) (?:them|em|the lot of them|every (?:last |single )?one of them|all of (?:them|you|those \\w+)|all (?:the |those |these )?\\w+|those \\w+|these \\w+)(?: all| for good| off| up| out| now| already)*\\b(?! (?:accounts?|cards?|payments?|fees?|charges?|emails?|messages?|transactions?|subscriptions?|debits?|files?|apps?|details|tabs?|notifications?|orders?))|(?:string|round) (?:them|em|the lot of them|all of them|those \\w+|these \\w+) (?:all )?up\\b(?! (?:on|in|with|for|to) (?:the |my |a )?(?:account|card|list|statement|app|phone|queue))|(?:death|bullets?) to (?:all |the |those |these )?\\w+|(?:hope|wish|pray) (?:a \\w+ (?:hits|kills|runs over) (?:you|them|him|her|your \\w+)|(?:you|u|they|he|she|your (?:\\w+ )?\\w+|all of (?:you|them)|the \\w+) (?:all )?(?:die|dies|get (?:cancer|shot|killed|hit|run over|stabbed|raped|murdered)|gets (?:cancer|shot|killed|hit|run over|stabbed|raped|murdered)|burn|burns|rot|rots|drop dead|choke|chokes))|(?:wish|hope) (?:you|u|they|he|she|your \\w+) (?:were|was|are) dead|(?:kill|hang|shoot|neck|off) (?:your|ur)sel(?:f|ves)|\\bkys|go (?:and )?(?:die|hang yourself|drown yourself|jump off a (?:bridge|cliff))|(?:doesn['’]?t|don['’]?t|do not|does not) deserve to (?:live|breathe|exist)|off the face of the (?:earth|planet)|better (?:off )?if (?:they|you|he|she|all of (?:them|you)) (?:were|was) (?:all )?dead|let (?:them|em|the lot of them|all of them) (?:all )?(?:drown|die|burn|rot|starve)|throw (?:them|em|the lot of them|all of them)(?: all)? (?:off|into|in|out of) (?:a |the )?(?:bridge|cliff|sea|river|fire|oven|plane|window|building)|put a bullet (?:in|through) (?:your|ur|his|her|their|every|the)|(?:gas|shoot|hang|burn|kill) (?:the|all the|those|these) (?:\\w+ )?(?:people|immigrants|muslims|jews|christians|gays|blacks|whites|women|men|refugees|foreigners|bankers)`,
      ),
      '',
    ),
  },
];

/** The name of the first threat rule the text matches, or undefined. */
export function threatGrammarMatch(text: string): string | undefined {
  // Lower-cased here, so the patterns need no case-insensitive flag: with it, compiling them took
  // several times longer.
  const lowered = text.toLowerCase();
  for (const rule of RULES) if (rule.pattern.test(lowered)) return rule.name;
  return undefined;
}

// The engine compiles each pattern on its first use, once for one-byte and once for two-byte text, and again when it turns hot; that took tens of
// milliseconds per pattern, so it happens once at start-up rather than on a customer's first turns.
for (let round = 0; round < 3; round += 1) {
  threatGrammarMatch(`warming the threat grammar ${round}`);
  threatGrammarMatch(`warming the threat grammar’s two-byte form ${round}`);
}
