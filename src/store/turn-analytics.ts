import type { TurnKind } from '../turn/types.js';

/** Day buckets start at 00:00 UTC; week buckets on Monday 00:00 UTC. */
export type AnalyticsBucketSize = 'day' | 'week';

/** A half-open window `[from, to)` of ISO times, cut into buckets. */
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
  /** Placeholders of the window's two bounds. */
  readonly from: string;
  readonly to: string;
  /** The bucket's first day (`YYYY-MM-DD`) of an ISO text column. */
  bucket(column: string, size: AnalyticsBucketSize): string;
  /** Seconds from one ISO text column to another. */
  seconds(from: string, to: string): string;
  /** A table named `rule` with a `value` row per element of a JSON array text column. */
  eachElement(column: string): string;
}

/** The statements of one analytics query, in the order their results go to `assembleAnalytics`. */
export function analyticsStatements(dialect: AnalyticsDialect, size: AnalyticsBucketSize) {
  const inWindow = (column: string) => `${column} >= ${dialect.from} AND ${column} < ${dialect.to}`;
  const turnBucket = dialect.bucket('t.created_at', size);
  const kindSums = TURN_KINDS.map((kind) => `SUM(CASE WHEN t.kind = '${kind}' THEN 1 ELSE 0 END) AS ${kind}`);
  const countBy = (name: string, detail: string, where: string, from = 'turn_records t') =>
    `SELECT ${turnBucket} AS bucket, ${name} AS name, ${detail} AS detail, COUNT(*) AS count
     FROM ${from} WHERE ${inWindow('t.created_at')} AND ${where}
     GROUP BY 1, 2, 3 ORDER BY 1, 4 DESC, 2`;
  return {
    // A conversation counts as handed off when any handoff belongs to it, earlier or later.
    summary: `SELECT ${turnBucket} AS bucket, COUNT(*) AS turns,
        SUM(CASE WHEN h.conversation_id IS NULL THEN 1 ELSE 0 END) AS contained,
        ${kindSums.join(', ')},
        SUM(CASE WHEN t.rating = 'helpful' THEN 1 ELSE 0 END) AS helpful,
        SUM(CASE WHEN t.rating = 'not_helpful' THEN 1 ELSE 0 END) AS not_helpful
      FROM turn_records t
      LEFT JOIN (SELECT DISTINCT conversation_id FROM handoffs) h ON h.conversation_id = t.conversation_id
      WHERE ${inWindow('t.created_at')}
      GROUP BY 1 ORDER BY 1`,
    queue: `SELECT ${dialect.bucket('created_at', size)} AS bucket, COUNT(*) AS opened,
        COUNT(claimed_at) AS claimed, COUNT(resolved_at) AS resolved,
        AVG(${dialect.seconds('created_at', 'claimed_at')}) AS average_wait,
        MAX(${dialect.seconds('created_at', 'claimed_at')}) AS max_wait,
        AVG(${dialect.seconds('claimed_at', 'resolved_at')}) AS average_handling
      FROM handoffs WHERE ${inWindow('created_at')}
      GROUP BY 1 ORDER BY 1`,
    handoffReasons: countBy('t.handoff_reason', 't.handoff_priority', 't.handoff_reason IS NOT NULL'),
    refusalRules: countBy(
      'rule.value',
      'NULL',
      "t.kind = 'refused'",
      `turn_records t, ${dialect.eachElement('t.rules')}`,
    ),
    ratingReasons: countBy('t.rating_reason', 't.rating', 't.rating_reason IS NOT NULL'),
    intents: countBy('t.intent', 'NULL', 't.intent IS NOT NULL'),
    topics: countBy('t.topic', 'NULL', 't.topic IS NOT NULL'),
  };
}

/** Rows as the drivers return them: counts may arrive as strings (PostgreSQL bigint). */
export type AnalyticsRow = Record<string, string | number | null>;

export interface AnalyticsRows {
  readonly summary: readonly AnalyticsRow[];
  readonly queue: readonly AnalyticsRow[];
  readonly handoffReasons: readonly AnalyticsRow[];
  readonly refusalRules: readonly AnalyticsRow[];
  readonly ratingReasons: readonly AnalyticsRow[];
  readonly intents: readonly AnalyticsRow[];
  readonly topics: readonly AnalyticsRow[];
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

function counts(rows: readonly AnalyticsRow[]): AnalyticsCount[] {
  return rows.map((row) => ({
    bucket: String(row.bucket),
    name: String(row.name),
    detail: row.detail === null || row.detail === undefined ? null : String(row.detail),
    count: count(row.count),
  }));
}

/**
 * The analytics answer from the statements' rows: rates are derived here from the counts, and the
 * window's totals are the buckets' sums (averages weighted by how many handoffs each bucket had).
 */
export function assembleAnalytics(query: AnalyticsQuery, rows: AnalyticsRows): TurnAnalytics {
  const partials = new Map<string, BucketSums>();
  const sumsOf = (bucket: string) => {
    let partial = partials.get(bucket);
    if (!partial) {
      partial = emptySums();
      partials.set(bucket, partial);
    }
    return partial;
  };
  for (const row of rows.summary) {
    const partial = sumsOf(String(row.bucket));
    partial.turns = count(row.turns);
    partial.contained = count(row.contained);
    for (const kind of TURN_KINDS) partial.kinds[kind] = count(row[kind]);
    partial.helpful = count(row.helpful);
    partial.notHelpful = count(row.not_helpful);
  }
  for (const row of rows.queue) {
    const partial = sumsOf(String(row.bucket));
    partial.opened = count(row.opened);
    partial.claimed = count(row.claimed);
    partial.resolved = count(row.resolved);
    partial.waitTotal = count(row.average_wait) * partial.claimed;
    partial.maxWait = row.max_wait === null ? null : count(row.max_wait);
    partial.handlingTotal = count(row.average_handling) * partial.resolved;
  }
  const total = emptySums();
  for (const partial of partials.values()) {
    total.turns += partial.turns;
    total.contained += partial.contained;
    for (const kind of TURN_KINDS) total.kinds[kind] += partial.kinds[kind];
    total.helpful += partial.helpful;
    total.notHelpful += partial.notHelpful;
    total.opened += partial.opened;
    total.claimed += partial.claimed;
    total.resolved += partial.resolved;
    total.waitTotal += partial.waitTotal;
    total.handlingTotal += partial.handlingTotal;
    if (partial.maxWait !== null) total.maxWait = Math.max(total.maxWait ?? 0, partial.maxWait);
  }
  return {
    from: query.from,
    to: query.to,
    bucket: query.bucket,
    totals: figures(total),
    buckets: [...partials.entries()]
      .sort(([left], [right]) => left.localeCompare(right))
      .map(([start, partial]) => ({ start, ...figures(partial) })),
    handoffReasons: counts(rows.handoffReasons),
    refusalRules: counts(rows.refusalRules),
    ratingReasons: counts(rows.ratingReasons),
    intents: counts(rows.intents),
    topics: counts(rows.topics),
  };
}

/** SQLite: dates through `date()`, times through `julianday()`, arrays through `json_each`. */
export const SQLITE_ANALYTICS_DIALECT: AnalyticsDialect = {
  from: '@from',
  to: '@to',
  bucket: (column, size) =>
    // '-6 days' then 'weekday 1' lands on the Monday on or before the day.
    size === 'day' ? `substr(${column}, 1, 10)` : `date(${column}, '-6 days', 'weekday 1')`,
  seconds: (from, to) => `(julianday(${to}) - julianday(${from})) * 86400.0`,
  eachElement: (column) => `json_each(${column}) AS rule`,
};

/** PostgreSQL: the same ISO text columns cast to timestamps. */
export const POSTGRES_ANALYTICS_DIALECT: AnalyticsDialect = {
  from: '$1',
  to: '$2',
  bucket: (column, size) =>
    size === 'day'
      ? `substr(${column}, 1, 10)`
      : `to_char(date_trunc('week', (${column})::timestamptz AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`,
  seconds: (from, to) => `EXTRACT(EPOCH FROM ((${to})::timestamptz - (${from})::timestamptz))`,
  eachElement: (column) => `jsonb_array_elements_text((${column})::jsonb) AS rule(value)`,
};
