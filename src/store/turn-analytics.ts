import type { TurnKind } from '../turn/types.js';

/** Day buckets are UTC days; week buckets start on Monday (UTC). */
export type AnalyticsBucketSize = 'day' | 'week';

/** A window of whole UTC days, `from` inclusive and `to` exclusive (`YYYY-MM-DD`), cut into buckets. */
export interface AnalyticsQuery {
  readonly from: string;
  readonly to: string;
  readonly bucket: AnalyticsBucketSize;
}

export const TURN_KINDS: readonly TurnKind[] = [
  'answered',
  'declined',
  'clarify',
  'refused',
  'handoff',
  'action',
  'other',
];

/** Figures of one bucket (or of the whole window, for `totals`). */
export interface AnalyticsFigures {
  readonly turns: number;
  /** Turns in conversations that no handoff ever touched. */
  readonly contained: number;
  /** `contained / turns`, null without turns. */
  readonly containmentRate: number | null;
  readonly kinds: Readonly<Record<TurnKind, number>>;
  /** Turns that opened a handoff, per turn. */
  readonly handoffRate: number | null;
  readonly ratings: {
    readonly helpful: number;
    readonly notHelpful: number;
    readonly helpfulShare: number | null;
  };
  /** From the handoff queue: handoffs opened in the bucket, and how long they waited and were worked. */
  readonly queue: {
    readonly opened: number;
    readonly claimed: number;
    readonly resolved: number;
    readonly averageWaitSeconds: number | null;
    readonly maxWaitSeconds: number | null;
    readonly averageHandlingSeconds: number | null;
  };
}

export interface AnalyticsBucket extends AnalyticsFigures {
  /** The bucket's first day, `YYYY-MM-DD`. */
  readonly start: string;
}

/** How many turns had one value of a dimension (a handoff reason, a refused rule…) in a bucket. */
export interface AnalyticsCount {
  readonly bucket: string;
  readonly name: string;
  /** A second key where one applies: the priority of a handoff reason. */
  readonly detail: string | null;
  readonly count: number;
}

export interface TurnAnalytics {
  readonly from: string;
  readonly to: string;
  readonly bucket: AnalyticsBucketSize;
  readonly totals: AnalyticsFigures;
  readonly buckets: AnalyticsBucket[];
  /** Per bucket; `detail` is the priority. */
  readonly handoffReasons: AnalyticsCount[];
  /** Rules (`guardrail:rule`) tripped by refused turns, per bucket. */
  readonly refusalRules: AnalyticsCount[];
  /** Reasons customers gave with their ratings; `detail` is the rating. */
  readonly ratingReasons: AnalyticsCount[];
  readonly intents: AnalyticsCount[];
  readonly topics: AnalyticsCount[];
}

/** The SQL that differs between SQLite and PostgreSQL; everything else is shared. */
export interface AnalyticsDialect {
  /** Placeholders of the window's two days. */
  readonly from: string;
  readonly to: string;
  /** Seconds from one ISO text column to another. */
  seconds(from: string, to: string): string;
  /** A table named `rule` with a `value` row per element of a JSON array text column. */
  eachElement(column: string): string;
}

/** The per-day counts analytics show of each dimension: its column, and the column of its detail. */
const TURN_DIMENSIONS: ReadonlyArray<readonly [dimension: string, detail: string | null]> = [
  ['kind', null],
  ['rating', null],
  ['handoff_reason', 'handoff_priority'],
  ['rating_reason', 'rating'],
  ['intent', null],
  ['topic', null],
];

/**
 * The statements of one analytics query, all per UTC day; weeks are rolled up from days in
 * `assembleAnalytics`. Turns are counted from `turn_record_day_counts` (daily counts per
 * combination of dimensions, kept by triggers on `turn_records`), so a window costs its days'
 * combinations rather than its turns. The database sums those into one short list per dimension
 * (the figures never need two dimensions crossed, bar a reason with its detail), so only a few
 * rows per day reach the application; counts fallen to zero by purges are skipped.
 */
export function analyticsStatements(dialect: AnalyticsDialect) {
  const days = (column: string) => `${column} >= ${dialect.from} AND ${column} < ${dialect.to}`;
  return {
    turns: TURN_DIMENSIONS.map(
      ([dimension, detail]) => `SELECT day, '${dimension}' AS dimension, ${dimension} AS name,
        ${detail ?? 'NULL'} AS detail, SUM(turns) AS count FROM turn_record_day_counts
        WHERE ${days('day')} AND ${dimension} IS NOT NULL
        GROUP BY day, ${dimension}${detail ? `, ${detail}` : ''} HAVING SUM(turns) > 0`,
    ).join('\n      UNION ALL '),
    // Turns of conversations that any handoff touched, earlier or later: the complement of
    // contained. CROSS JOIN makes SQLite start from the (few) handed-off conversations and look
    // their turns up by index; PostgreSQL plans it as any inner join.
    handedOff: `SELECT t.day AS day, COUNT(*) AS count
      FROM (SELECT DISTINCT conversation_id FROM handoffs) h
      CROSS JOIN turn_records t
      WHERE t.conversation_id = h.conversation_id AND ${days('t.day')} GROUP BY t.day`,
    // Refused turns mostly trip the same few rule lists: count each day's distinct lists first and
    // parse the JSON of those only, rather than of every refused turn.
    refusalRules: `SELECT g.day AS day, rule.value AS name, SUM(g.count) AS count
      FROM (SELECT day, rules, COUNT(*) AS count FROM turn_records
        WHERE kind = 'refused' AND ${days('day')} GROUP BY day, rules) g,
        ${dialect.eachElement('g.rules')}
      GROUP BY g.day, rule.value`,
    // ISO times compare as text, and a day's times sort after the bare day, so day bounds work here too.
    queue: `SELECT substr(created_at, 1, 10) AS day, COUNT(*) AS opened,
        COUNT(claimed_at) AS claimed, COUNT(resolved_at) AS resolved,
        SUM(${dialect.seconds('created_at', 'claimed_at')}) AS total_wait,
        MAX(${dialect.seconds('created_at', 'claimed_at')}) AS max_wait,
        SUM(${dialect.seconds('claimed_at', 'resolved_at')}) AS total_handling
      FROM handoffs WHERE ${days('created_at')}
      GROUP BY substr(created_at, 1, 10)`,
  };
}

/** Rows as the drivers return them: counts may arrive as strings (PostgreSQL bigint). */
export type AnalyticsRow = Record<string, string | number | null>;

export interface AnalyticsRows {
  readonly turns: readonly AnalyticsRow[];
  readonly handedOff: readonly AnalyticsRow[];
  readonly refusalRules: readonly AnalyticsRow[];
  readonly queue: readonly AnalyticsRow[];
}

const count = (value: string | number | null | undefined): number => Number(value ?? 0);
const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);
const seconds = (value: string | number | null | undefined): number | null =>
  value === null || value === undefined ? null : Math.round(Number(value) * 10) / 10;

interface BucketSums {
  turns: number;
  contained: number;
  kinds: Record<TurnKind, number>;
  helpful: number;
  notHelpful: number;
  opened: number;
  claimed: number;
  resolved: number;
  waitTotal: number;
  maxWait: number | null;
  handlingTotal: number;
}

function emptySums(): BucketSums {
  return {
    turns: 0,
    contained: 0,
    kinds: Object.fromEntries(TURN_KINDS.map((kind) => [kind, 0])) as Record<TurnKind, number>,
    helpful: 0,
    notHelpful: 0,
    opened: 0,
    claimed: 0,
    resolved: 0,
    waitTotal: 0,
    maxWait: null,
    handlingTotal: 0,
  };
}

function figures(partial: BucketSums): AnalyticsFigures {
  return {
    turns: partial.turns,
    contained: partial.contained,
    containmentRate: ratio(partial.contained, partial.turns),
    kinds: partial.kinds,
    handoffRate: ratio(partial.kinds.handoff, partial.turns),
    ratings: {
      helpful: partial.helpful,
      notHelpful: partial.notHelpful,
      helpfulShare: ratio(partial.helpful, partial.helpful + partial.notHelpful),
    },
    queue: {
      opened: partial.opened,
      claimed: partial.claimed,
      resolved: partial.resolved,
      averageWaitSeconds: partial.claimed > 0 ? seconds(partial.waitTotal / partial.claimed) : null,
      maxWaitSeconds: seconds(partial.maxWait),
      averageHandlingSeconds: partial.resolved > 0 ? seconds(partial.handlingTotal / partial.resolved) : null,
    },
  };
}

/** The Monday (UTC) on or before a `YYYY-MM-DD` day. */
export function weekStart(day: string): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  const sinceMonday = (date.getUTCDay() + 6) % 7;
  return new Date(date.getTime() - sinceMonday * 86_400_000).toISOString().slice(0, 10);
}

/** Counts keyed by bucket, name and detail, summed as rows arrive, listed largest first per bucket. */
class CountTable {
  // Keys joined with a character that never occurs in a day, a name or a detail.
  readonly #counts = new Map<
    string,
    { bucket: string; name: string; detail: string | null; count: number }
  >();

  add(bucket: string, name: unknown, detail: unknown, howMany: number): void {
    if (name === null || name === undefined) return;
    const nameText = String(name);
    const detailText = detail === null || detail === undefined ? null : String(detail);
    const key = `${bucket}\u0000${nameText}\u0000${detailText ?? ''}`;
    const existing = this.#counts.get(key);
    if (existing) existing.count += howMany;
    else this.#counts.set(key, { bucket, name: nameText, detail: detailText, count: howMany });
  }

  list(): AnalyticsCount[] {
    return [...this.#counts.values()].sort(
      (left, right) =>
        (left.bucket < right.bucket ? -1 : left.bucket > right.bucket ? 1 : 0) ||
        right.count - left.count ||
        (left.name < right.name ? -1 : left.name > right.name ? 1 : 0) ||
        (left.detail ?? '').localeCompare(right.detail ?? ''),
    );
  }
}

/**
 * The analytics answer from the statements' per-day rows: days roll up into the asked buckets,
 * rates are derived from the counts, and the window's totals are the buckets' sums.
 */
export function assembleAnalytics(query: AnalyticsQuery, rows: AnalyticsRows): TurnAnalytics {
  // Many rows share a day: each day's bucket is worked out once.
  const buckets = new Map<string, string>();
  const bucketOf = (day: string) => {
    let bucket = buckets.get(day);
    if (bucket === undefined) {
      bucket = query.bucket === 'day' ? day : weekStart(day);
      buckets.set(day, bucket);
    }
    return bucket;
  };
  const sumsByBucket = new Map<string, BucketSums>();
  const sumsOf = (day: unknown) => {
    const bucket = bucketOf(String(day));
    let sums = sumsByBucket.get(bucket);
    if (!sums) {
      sums = emptySums();
      sumsByBucket.set(bucket, sums);
    }
    return { bucket, sums };
  };
  const handoffReasons = new CountTable();
  const ratingReasons = new CountTable();
  const intents = new CountTable();
  const topics = new CountTable();
  const refusalRules = new CountTable();
  // One row per day, dimension and value (every turn has exactly one kind, so kinds add up to turns).
  for (const row of rows.turns) {
    const { bucket, sums } = sumsOf(row.day);
    const howMany = count(row.count);
    switch (row.dimension) {
      case 'kind': {
        const kind = row.name as TurnKind;
        sums.turns += howMany;
        sums.contained += howMany;
        if (kind in sums.kinds) sums.kinds[kind] += howMany;
        break;
      }
      case 'rating':
        if (row.name === 'helpful') sums.helpful += howMany;
        if (row.name === 'not_helpful') sums.notHelpful += howMany;
        break;
      case 'handoff_reason':
        handoffReasons.add(bucket, row.name, row.detail, howMany);
        break;
      case 'rating_reason':
        ratingReasons.add(bucket, row.name, row.detail, howMany);
        break;
      case 'intent':
        intents.add(bucket, row.name, null, howMany);
        break;
      case 'topic':
        topics.add(bucket, row.name, null, howMany);
        break;
    }
  }
  for (const row of rows.handedOff) sumsOf(row.day).sums.contained -= count(row.count);
  for (const row of rows.refusalRules)
    refusalRules.add(bucketOf(String(row.day)), row.name, null, count(row.count));
  for (const row of rows.queue) {
    const { sums } = sumsOf(row.day);
    sums.opened += count(row.opened);
    sums.claimed += count(row.claimed);
    sums.resolved += count(row.resolved);
    sums.waitTotal += count(row.total_wait);
    sums.handlingTotal += count(row.total_handling);
    if (row.max_wait !== null && row.max_wait !== undefined) {
      sums.maxWait = Math.max(sums.maxWait ?? 0, count(row.max_wait));
    }
  }
  const total = emptySums();
  for (const sums of sumsByBucket.values()) {
    total.turns += sums.turns;
    total.contained += sums.contained;
    for (const kind of TURN_KINDS) total.kinds[kind] += sums.kinds[kind];
    total.helpful += sums.helpful;
    total.notHelpful += sums.notHelpful;
    total.opened += sums.opened;
    total.claimed += sums.claimed;
    total.resolved += sums.resolved;
    total.waitTotal += sums.waitTotal;
    total.handlingTotal += sums.handlingTotal;
    if (sums.maxWait !== null) total.maxWait = Math.max(total.maxWait ?? 0, sums.maxWait);
  }
  return {
    from: query.from,
    to: query.to,
    bucket: query.bucket,
    totals: figures(total),
    buckets: [...sumsByBucket.entries()]
      .sort(([left], [right]) => left.localeCompare(right))
      .map(([start, sums]) => ({ start, ...figures(sums) })),
    handoffReasons: handoffReasons.list(),
    refusalRules: refusalRules.list(),
    ratingReasons: ratingReasons.list(),
    intents: intents.list(),
    topics: topics.list(),
  };
}

/** SQLite: times through `julianday()`, arrays through `json_each`. */
export const SQLITE_ANALYTICS_DIALECT: AnalyticsDialect = {
  from: '@from',
  to: '@to',
  seconds: (from, to) => `(julianday(${to}) - julianday(${from})) * 86400.0`,
  eachElement: (column) => `json_each(${column}) AS rule`,
};

/** PostgreSQL: the same ISO text columns cast to timestamps, arrays through `jsonb`. */
export const POSTGRES_ANALYTICS_DIALECT: AnalyticsDialect = {
  from: '$1',
  to: '$2',
  seconds: (from, to) => `EXTRACT(EPOCH FROM ((${to})::timestamptz - (${from})::timestamptz))`,
  eachElement: (column) => `jsonb_array_elements_text((${column})::jsonb) AS rule(value)`,
};
