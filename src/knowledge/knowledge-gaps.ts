/**
 * Knowledge gaps: questions Teller declined, asked to clarify, or handed off for low confidence
 * (turn records of those kinds), grouped by meaning so compliance sees what customers ask that no
 * approved document answers. Grouping is greedy and single-pass in time order: each question
 * joins the most similar existing group when its cosine similarity to the group's centroid
 * reaches the threshold, else it starts a group. A gap is named after its first question's
 * record, so its id stays the same while new questions join it.
 *
 * Privacy: questions are already redacted, and a gap shows example questions only when at least
 * `MIN_CUSTOMERS_FOR_EXAMPLES` different customers are behind it, so no one customer's words can
 * be picked out of a small gap.
 */
import { createHash } from 'node:crypto';
import type { TurnRecordRepository } from '../store/ports.js';
import type { TurnRecord, TurnRecordPage } from '../store/turn-records.js';
import { contentWords } from '../text/sentences.js';

/** Fewer distinct customers than this behind a gap and its questions are never shown. */
export const MIN_CUSTOMERS_FOR_EXAMPLES = 3;
/** Cosine similarity to a group's centroid at which a question joins it. */
export const GAP_SIMILARITY_THRESHOLD = 0.75;
/** How many example questions a gap shows. */
const EXAMPLES_SHOWN = 3;
const DAY_MS = 86_400_000;

/** A turn record is a gap signal when Teller could not answer from an approved document. */
export function isGapSignal(record: Pick<TurnRecord, 'kind' | 'handoffReason'>): boolean {
  return (
    record.kind === 'declined' ||
    record.kind === 'clarify' ||
    (record.kind === 'handoff' && record.handoffReason === 'low_confidence')
  );
}

export interface KnowledgeGap {
  readonly id: string;
  /** The most frequent content words of its questions. */
  readonly label: string;
  readonly count: number;
  readonly customers: number;
  readonly thisWeek: number;
  readonly lastWeek: number;
  readonly trend: 'new' | 'rising' | 'steady' | 'falling';
  readonly kinds: Readonly<Record<string, number>>;
  /** Redacted example questions; empty unless enough customers are behind the gap. */
  readonly examples: readonly string[];
  /** Every question of the gap, distinct; for drafting and rechecking, never listed as is. */
  readonly questions: readonly string[];
  readonly firstSeen: string;
  readonly lastSeen: string;
}

/** Embeds texts as unit-length vectors (the shipped embedder, or `contentWordVectors`). */
export type EmbedTexts = (texts: readonly string[]) => Promise<readonly Float32Array[]>;

const FALLBACK_DIMENSIONS = 512;

/**
 * Bag-of-content-words vectors (stemmed, stop words dropped, hashed into a fixed size): the
 * grouping's fallback when no word-vector embedder is installed.
 */
export const contentWordVectors: EmbedTexts = async (texts) =>
  texts.map((text) => {
    const vector = new Float32Array(FALLBACK_DIMENSIONS);
    for (const word of contentWords(text)) {
      vector[createHash('sha256').update(word).digest().readUInt32BE(0) % FALLBACK_DIMENSIONS]! += 1;
    }
    return unit(vector);
  });

function unit(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const norm = Math.sqrt(sum);
  return norm > 0 ? vector.map((value) => value / norm) : vector;
}

function dot(left: Float32Array, right: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < left.length; index += 1) sum += left[index]! * right[index]!;
  return sum;
}

interface Group {
  readonly members: TurnRecord[];
  readonly sum: Float32Array;
}

function trendOf(thisWeek: number, lastWeek: number): KnowledgeGap['trend'] {
  if (lastWeek === 0) return thisWeek > 0 ? 'new' : 'steady';
  if (thisWeek > lastWeek * 1.25) return 'rising';
  if (thisWeek < lastWeek * 0.75) return 'falling';
  return 'steady';
}

function labelOf(questions: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const question of questions) {
    for (const word of contentWords(question)) {
      if (word.startsWith('<')) continue;
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return [...counts.entries()]
    .sort((left, right) => right[1] - left[1] || left[0].localeCompare(right[0]))
    .slice(0, 3)
    .map(([word]) => word)
    .join(' ');
}

/** A gap's id from its first record's id. */
export function gapId(firstRecordId: string): string {
  return `gap_${createHash('sha256').update(firstRecordId).digest('hex').slice(0, 24)}`;
}

/**
 * Groups the gap signals among `records` (any order) into gaps, largest first. `now` sets the
 * weeks of the trend: the 7 days before it, and the 7 before those.
 */
export async function findKnowledgeGaps(
  records: readonly TurnRecord[],
  { embed, now, threshold = GAP_SIMILARITY_THRESHOLD }: { embed: EmbedTexts; now: Date; threshold?: number },
): Promise<KnowledgeGap[]> {
  const signals = records
    .filter(isGapSignal)
    .filter((record) => record.question.trim().length > 0)
    .sort((left, right) => left.createdAt.localeCompare(right.createdAt) || left.id.localeCompare(right.id));
  if (signals.length === 0) return [];
  const vectors = await embed(signals.map((record) => record.question));
  const groups: Group[] = [];
  signals.forEach((record, index) => {
    const vector = vectors[index]!;
    let best: Group | undefined;
    let bestSimilarity = -1;
    for (const group of groups) {
      const similarity = dot(vector, unit(group.sum));
      if (similarity > bestSimilarity) {
        bestSimilarity = similarity;
        best = group;
      }
    }
    if (best && bestSimilarity >= threshold) {
      best.members.push(record);
      for (let dimension = 0; dimension < vector.length; dimension += 1)
        best.sum[dimension]! += vector[dimension]!;
    } else {
      groups.push({ members: [record], sum: Float32Array.from(vector) });
    }
  });
  const weekStart = now.getTime() - 7 * DAY_MS;
  const lastWeekStart = weekStart - 7 * DAY_MS;
  return groups
    .map((group): KnowledgeGap => {
      const { members } = group;
      const customers = new Set(members.map((record) => record.customerId)).size;
      const questions = [...new Set(members.map((record) => record.question))];
      const at = (record: TurnRecord) => Date.parse(record.createdAt);
      const thisWeek = members.filter((record) => at(record) >= weekStart).length;
      const lastWeek = members.filter(
        (record) => at(record) >= lastWeekStart && at(record) < weekStart,
      ).length;
      const kinds: Record<string, number> = {};
      for (const record of members) kinds[record.kind] = (kinds[record.kind] ?? 0) + 1;
      return {
        id: gapId(members[0]!.id),
        label: labelOf(questions),
        count: members.length,
        customers,
        thisWeek,
        lastWeek,
        trend: trendOf(thisWeek, lastWeek),
        kinds,
        examples: customers >= MIN_CUSTOMERS_FOR_EXAMPLES ? questions.slice(0, EXAMPLES_SHOWN) : [],
        questions,
        firstSeen: members[0]!.createdAt,
        lastSeen: members.at(-1)!.createdAt,
      };
    })
    .sort((left, right) => right.count - left.count || left.firstSeen.localeCompare(right.firstSeen));
}

/** The document id a gap's draft gets: its label in kebab case and a piece of the gap id. */
export function gapDocumentId(gap: Pick<KnowledgeGap, 'id' | 'label'>): string {
  const words = gap.label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `gap-${words ? `${words}-` : ''}${gap.id.slice(4, 10)}`;
}

/**
 * A compliance draft document prefilled from a gap: valid front matter for the officer to
 * complete, a section to write the answer in, and the gap's questions (only when enough customers
 * are behind it) as a list to answer and then remove before approval.
 */
export function gapDraftMarkdown(gap: KnowledgeGap, { today }: { today: string }): string {
  const title = gap.label ? gap.label.charAt(0).toUpperCase() + gap.label.slice(1) : 'Unanswered questions';
  const questions =
    gap.customers >= MIN_CUSTOMERS_FOR_EXAMPLES
      ? gap.questions.map((question) => `- ${question.replace(/\s+/g, ' ')}`).join('\n')
      : `- ${gap.questions.length} questions from fewer than ${MIN_CUSTOMERS_FOR_EXAMPLES} customers (not shown)`;
  return [
    '---',
    `id: ${gapDocumentId(gap)}`,
    `title: ${JSON.stringify(title)}`,
    'product: general',
    'jurisdiction: UK',
    'audience: retail',
    'version: "0.1"',
    'status: draft',
    `effective_from: "${today}"`,
    'owner: compliance',
    `tags: [${gap.label.split(' ').filter(Boolean).join(', ')}]`,
    '---',
    `# ${title}`,
    '',
    `## ${title}`,
    'Write the approved answer here.',
    '',
    '## Questions customers asked',
    `Teller could not answer these (${gap.count} times, ${gap.customers} customers). Answer them above, then remove this section before approval.`,
    '',
    questions,
    '',
  ].join('\n');
}

/** How far back gaps look: this week and last week, for the trend. */
const GAP_WINDOW_DAYS = 14;
/** Most gap signals one computation reads. */
const MAX_GAP_SIGNALS = 5000;

/** Reads the gap signals of the last two weeks from the turn records and groups them. */
export async function recentKnowledgeGaps(
  turnRecords: Pick<TurnRecordRepository, 'list'>,
  { embed, now }: { embed: EmbedTexts; now: Date },
): Promise<KnowledgeGap[]> {
  const records: TurnRecord[] = [];
  let cursor: string | null = null;
  do {
    const page: TurnRecordPage = await turnRecords.list({
      since: new Date(now.getTime() - GAP_WINDOW_DAYS * DAY_MS).toISOString(),
      kinds: ['declined', 'clarify', 'handoff'],
      limit: 1000,
      ...(cursor && { cursor }),
    });
    records.push(...page.records.filter(isGapSignal));
    cursor = page.nextCursor;
  } while (cursor && records.length < MAX_GAP_SIGNALS);
  return findKnowledgeGaps(records, { embed, now });
}
