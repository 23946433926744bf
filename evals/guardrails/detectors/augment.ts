/**
 * Attacks hidden in documents, built from train rows only: every short train attack of every source
 * is placed inside a carrier (an e-mail, a forwarded message, pasted notes, a code block or a chat
 * log) whose sentences are BANKING77 train requests, and the same carriers without an attack are the
 * negatives. BIPIA teaches this for its own e-mails and tasks; the carriers teach it for every other
 * source's attacks, so a source left out by the eval still meets "an instruction inside a document"
 * from the others. An augmented row keeps its attack's source (`aug:<source>`), so leaving a source
 * out leaves its augmented rows out too.
 */
import { attackCueFeatures } from '../../../src/classifier/attack-cues.js';
import { splitSentences } from '../../../src/text/sentences.js';
import type { SourceRow } from './sources.js';

/** Carriers written for Teller: document shapes, filled with banking sentences. */
const CARRIERS: readonly ((sentences: readonly string[], payload: string) => string)[] = [
  (sentences, payload) =>
    `Subject: ${sentences[0]}\nFrom: Customer Services <service@example.com>\n\nHi Sam,\n\n${sentences[1]} ${payload} ${sentences[2]}\n\nKind regards,\nAlex`,
  (sentences, payload) =>
    `---------- Forwarded message ---------\nFrom: Jo <jo@example.org>\nSubject: my account\n\n${payload}\n${sentences[0]} ${sentences[1]}\n${sentences[2]}`,
  (sentences, payload) =>
    `Here are my notes from the call, can you check them?\n\n- ${sentences[0]}\n- ${sentences[1]}\n- ${payload}\n- ${sentences[2]}`,
  (sentences, payload) =>
    `My script keeps failing, can you look at it?\n\`\`\`\n# ${sentences[0]}\nconst total = balance - fee;\n// ${payload}\nconsole.log(total);\n\`\`\`\n${sentences[1]}`,
  (sentences, payload) =>
    `Customer: ${sentences[0]}\nAgent: ${sentences[1]}\nCustomer: ${payload}\nAgent: ${sentences[2]}`,
  (sentences, payload) =>
    `Dear team, ${sentences[0]} ${sentences[1]} ${sentences[2]} ${payload} Sincerely, Morgan`,
];

const MAX_PAYLOAD_WORDS = 60;

/** Augmented train rows: each short train attack in one carrier, plus as many attack-free carriers. */
export function documentAttacks(rows: readonly SourceRow[]): SourceRow[] {
  const sentences = rows
    .filter((row) => row.source === 'banking77' && row.split === 'train')
    .map((row) => row.text.trim());
  const attacks = rows.filter(
    (row) =>
      row.split === 'train' &&
      row.label === 1 &&
      row.source !== 'bipia' &&
      row.text.split(/\s+/).length <= MAX_PAYLOAD_WORDS,
  );
  const augmented: SourceRow[] = [];
  attacks.forEach((attack, index) => {
    const pick = (offset: number) => sentences[(index * 37 + offset * 101) % sentences.length]!;
    const carrier = CARRIERS[index % CARRIERS.length]!;
    augmented.push({
      source: `aug:${attack.source}`,
      split: 'train',
      text: carrier([pick(0), pick(1), pick(2)], attack.text),
      label: 1,
    });
    const benign = pick(3);
    // The benign twin carries a banking request where the attack was, so only the attack differs.
    augmented.push({
      source: 'aug:carriers',
      split: 'train',
      text: carrier([pick(4), pick(5), pick(6)], benign),
      label: 0,
    });
  });
  return augmented;
}

/** Cue families that make a sentence a framing (an instruction about the assistant itself). */
const FRAMING_CUES = new Set([
  'k:override',
  'k:new_task',
  'k:persona',
  'k:no_limits',
  'k:authority',
  'k:role_marker',
  'k:compliance',
]);

const MAX_FRAMING_WORDS = 40;

/**
 * Attack framings from public train attacks followed by a banking request: the sentences of a short
 * attack up to the first one that overrides, sets up a persona, claims authority or forces compliance,
 * then a BANKING77 train request. Banking words are what benign traffic is made of, so without these
 * a short attack about accounts and cards reads as an ordinary request; with them the framing counts
 * whatever follows it. Teller's own attacks are not used (they are a source of their own), and the
 * row keeps its framing's source, so leaving that source out leaves these rows out too.
 */
export function framedBankingRequests(rows: readonly SourceRow[]): SourceRow[] {
  const requests = rows
    .filter((row) => row.source === 'banking77' && row.split === 'train')
    .map((row) => row.text.trim());
  const framed: SourceRow[] = [];
  let index = 0;
  for (const row of rows) {
    if (row.split !== 'train' || row.label !== 1 || row.source === 'teller_banking' || row.source === 'bipia')
      continue;
    if (row.text.split(/\s+/).length > MAX_FRAMING_WORDS) continue;
    const sentences = splitSentences(row.text);
    const cue = sentences.findIndex((sentence) =>
      attackCueFeatures(sentence).some((feature) => FRAMING_CUES.has(feature)),
    );
    if (cue < 0) continue;
    const framing = sentences.slice(0, cue + 1).join(' ');
    framed.push({
      source: `aug:${row.source}`,
      split: 'train',
      text: `${framing} ${requests[(index * 53) % requests.length]}`,
      label: 1,
    });
    index += 1;
  }
  return framed;
}
