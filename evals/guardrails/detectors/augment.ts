/**
 * Attacks hidden in documents, built from train rows only: every short train attack of every source
 * is placed inside a carrier (an e-mail, a forwarded message, pasted notes, a code block or a chat
 * log) whose sentences are BANKING77 train requests, and the same carriers without an attack are the
 * negatives. BIPIA teaches this for its own e-mails and tasks; the carriers teach it for every other
 * source's attacks, so a source left out by the eval still meets "an instruction inside a document"
 * from the others. An augmented row keeps its attack's source (`aug:<source>`), so leaving a source
 * out leaves its augmented rows out too.
 */
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
