import { createRandom } from '../common/seeded-random.js';
import type { HandoffRecord } from '../store/handoff-queue.js';
import type { StateBackend } from '../store/ports.js';
import type { NewTurnRecord, TurnRating } from '../store/turn-records.js';
import type { HandoffPriority, HandoffReason, TurnKind, TurnResult } from '../turn/types.js';

/** A clock the seeder moves to each write's time, for stores that stamp writes with `now()`. */
export class SettableClock {
  #time: number;
  constructor(start: Date) {
    this.#time = start.getTime();
  }
  set(time: Date | number): void {
    this.#time = typeof time === 'number' ? time : time.getTime();
  }
  readonly now = (): Date => new Date(this.#time);
}

export interface TrafficOptions {
  /** First day of traffic (00:00 UTC). */
  readonly start: Date;
  readonly days: number;
  readonly conversationsPerDay: number;
  /** Turns in each conversation (the last one may hand off). */
  readonly turnsPerConversation?: number;
  readonly seed?: number;
  /** How many conversations go through one transaction (bigger is faster for large seeds). */
  readonly batch?: number;
  /**
   * Adds one conversation per customer, spread over the days, in which Teller cannot answer
   * questions on one subject: declined, asked to clarify, and (every third customer) handed off
   * for low confidence, so the subject shows up as a knowledge gap.
   */
  readonly knowledgeGap?: { readonly questions: readonly string[]; readonly customers: number };
}

/** What was seeded, counted independently of the analytics queries, so tests can compare. */
export interface SeededTraffic {
  readonly turns: number;
  readonly contained: number;
  readonly kinds: Record<TurnKind, number>;
  readonly handoffs: number;
  readonly handoffReasons: Record<string, number>;
  readonly refusalRules: Record<string, number>;
  readonly helpful: number;
  readonly notHelpful: number;
  /** Per day (`YYYY-MM-DD`): turns and contained turns. */
  readonly perDay: Record<string, { turns: number; contained: number }>;
  /** Turns and customers of the `knowledgeGap` conversations (zero without one). */
  readonly gapTurns: number;
  readonly gapCustomers: number;
}

const KIND_WEIGHTS: ReadonlyArray<readonly [Exclude<TurnKind, 'handoff'>, number]> = [
  ['answered', 50],
  ['action', 20],
  ['declined', 8],
  ['clarify', 6],
  ['refused', 6],
  ['other', 10],
];
const RULES = ['prompt_injection:override_instructions', 'regulated_advice:investment', 'abuse:insult'];
const HANDOFF_REASONS: ReadonlyArray<readonly [HandoffReason, HandoffPriority]> = [
  ['explicit_request', 'normal'],
  ['low_confidence', 'low'],
  ['sensitive_topic', 'high'],
  ['emotional_distress', 'high'],
];
const TOPICS = ['fees', 'cards', 'payments', 'accounts'];
const GAP_KINDS: readonly TurnKind[] = ['declined', 'clarify', 'handoff'];
const RATING_REASONS = ['not_accurate', 'not_relevant', 'too_vague'];
const OUTCOME_OF: Record<TurnKind, TurnResult['outcome']> = {
  answered: 'answer',
  declined: 'answer',
  clarify: 'answer',
  refused: 'refusal',
  handoff: 'handoff',
  action: 'answer',
  other: 'answer',
};

/**
 * Writes synthetic, deterministic traffic through a backend's ports: conversations with turn
 * records, and handoffs that agents claim and resolve after a wait. The clock must be the one the
 * backend stamps writes with. Questions are made-up placeholders, never dataset rows.
 */
export async function seedTurnTraffic(
  backend: StateBackend,
  clock: SettableClock,
  options: TrafficOptions,
): Promise<SeededTraffic> {
  const random = createRandom(options.seed ?? 7);
  const turnsPerConversation = options.turnsPerConversation ?? 3;
  const batch = options.batch ?? 50;
  const kinds = { answered: 0, declined: 0, clarify: 0, refused: 0, handoff: 0, action: 0, other: 0 };
  const totals = {
    turns: 0,
    contained: 0,
    handoffs: 0,
    helpful: 0,
    notHelpful: 0,
    handoffReasons: {} as Record<string, number>,
    refusalRules: {} as Record<string, number>,
    perDay: {} as Record<string, { turns: number; contained: number }>,
  };
  const weightTotal = KIND_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
  const pickKind = () => {
    let roll = random.integer(weightTotal);
    for (const [kind, weight] of KIND_WEIGHTS) {
      if (roll < weight) return kind;
      roll -= weight;
    }
    return 'other' as const;
  };
  const dayMs = 86_400_000;
  let gapTurns = 0;
  let gapCustomers = 0;
  const claims: Array<{ handoff: HandoffRecord; claimAt: number; resolveAt: number }> = [];
  const writeTurn = async ({
    conversationId,
    customerId,
    at,
    kind,
    handoff,
    question,
    contained,
    perDay,
  }: {
    conversationId: string;
    customerId: string;
    at: number;
    kind: TurnKind;
    handoff: readonly [HandoffReason, HandoffPriority] | undefined;
    question: string;
    contained: boolean;
    perDay: { turns: number; contained: number };
  }) => {
    clock.set(at);
    const rule = kind === 'refused' ? random.pick(RULES) : undefined;
    const ratingRoll = random.next();
    const rating: TurnRating | null =
      ratingRoll < 0.12 ? 'helpful' : ratingRoll < 0.18 ? 'not_helpful' : null;
    const message = await backend.conversations.appendMessage(
      conversationId,
      'assistant',
      `Seeded answer of kind ${kind}.`,
    );
    const record: NewTurnRecord = {
      id: message.id,
      conversationId: conversationId,
      customerId,
      createdAt: message.createdAt,
      outcome: OUTCOME_OF[kind],
      kind,
      intent: kind === 'action' ? 'account.balance' : kind === 'other' ? 'greeting' : 'knowledge',
      topic: kind === 'action' || kind === 'other' ? null : random.pick(TOPICS),
      handoffReason: handoff?.[0] ?? null,
      handoffPriority: handoff?.[1] ?? null,
      rules: rule ? [rule] : [],
      citations: kind === 'answered' ? ['fees-international-payments@3.0'] : [],
      question,
      routerVersion: 'v1',
    };
    await backend.turnRecords.record(record);
    if (rating) {
      await backend.turnRecords.rate(
        message.id,
        customerId,
        rating,
        rating === 'not_helpful' ? random.pick(RATING_REASONS) : null,
      );
      if (rating === 'helpful') totals.helpful++;
      else totals.notHelpful++;
    }
    kinds[kind]++;
    totals.turns++;
    perDay.turns++;
    if (contained) {
      totals.contained++;
      perDay.contained++;
    }
    if (rule) totals.refusalRules[rule] = (totals.refusalRules[rule] ?? 0) + 1;
    if (handoff) {
      const opened = await backend.handoffs.open({
        conversationId: conversationId,
        customerId,
        reason: handoff[0],
        priority: handoff[1],
        explanation: 'Seeded handoff.',
        summary: 'Seeded summary.',
        intent: record.intent,
        emotions: [],
      });
      totals.handoffs++;
      totals.handoffReasons[handoff[0]] = (totals.handoffReasons[handoff[0]] ?? 0) + 1;
      const claimAt = at + 30_000 + random.integer(600_000);
      claims.push({
        handoff: opened,
        claimAt,
        resolveAt: claimAt + 60_000 + random.integer(900_000),
      });
    }
  };

  for (let day = 0; day < options.days; day++) {
    const dayStart = options.start.getTime() + day * dayMs;
    const dayKey = new Date(dayStart).toISOString().slice(0, 10);
    const perDay = { turns: 0, contained: 0 };
    totals.perDay[dayKey] = perDay;
    for (let first = 0; first < options.conversationsPerDay; first += batch) {
      const size = Math.min(batch, options.conversationsPerDay - first);
      await backend.atomically(async () => {
        for (let index = 0; index < size; index++) {
          // Conversations start between 08:00 and 20:00 so their turns stay inside the day.
          let at = dayStart + 8 * 3_600_000 + random.integer(12 * 3_600_000);
          clock.set(at);
          const customerId = `c_seed_${random.integer(500)}`;
          const conversation = await backend.conversations.create(customerId);
          const handsOff = random.next() < 0.15;
          for (let turn = 0; turn < turnsPerConversation; turn++) {
            at += 20_000 + random.integer(60_000);
            const kind: TurnKind = handsOff && turn === turnsPerConversation - 1 ? 'handoff' : pickKind();
            const handoff = kind === 'handoff' ? random.pick(HANDOFF_REASONS) : undefined;
            await writeTurn({
              conversationId: conversation.id,
              customerId,
              at,
              kind,
              handoff,
              question: `seeded question ${turn + 1} about ${kind}`,
              contained: !handsOff,
              perDay,
            });
          }
        }
      });
    }
    const gap = options.knowledgeGap;
    if (gap && gap.questions.length > 0) {
      await backend.atomically(async () => {
        for (let customer = day; customer < gap.customers; customer += options.days) {
          // Late in the day (21:00), after the day's other traffic.
          let at = dayStart + 21 * 3_600_000 + customer * 60_000;
          clock.set(at);
          const customerId = `c_seed_gap_${customer}`;
          const conversation = await backend.conversations.create(customerId);
          const handsOff = customer % 3 === 2;
          for (let turn = 0; turn < GAP_KINDS.length; turn++) {
            const kind = GAP_KINDS[turn]!;
            if (kind === 'handoff' && !handsOff) break;
            at += 20_000;
            await writeTurn({
              conversationId: conversation.id,
              customerId,
              at,
              kind,
              handoff: kind === 'handoff' ? ['low_confidence', 'low'] : undefined,
              question: gap.questions[(customer + turn) % gap.questions.length]!,
              contained: !handsOff,
              perDay,
            });
            gapTurns++;
          }
          gapCustomers++;
        }
      });
    }
  }
  // Agents work the queue afterwards, at the times drawn above.
  for (let first = 0; first < claims.length; first += batch * 4) {
    await backend.atomically(async () => {
      for (const { handoff, claimAt, resolveAt } of claims.slice(first, first + batch * 4)) {
        clock.set(claimAt);
        await backend.handoffs.claim(handoff.id, 'agent_seed');
        clock.set(resolveAt);
        await backend.handoffs.resolve(handoff.id, 'agent_seed');
      }
    });
  }
  return { ...totals, kinds, gapTurns, gapCustomers };
}
