/**
 * Turn records (one row per completed turn, redacted text only) and the times a handoff was
 * claimed and resolved, for outcome analytics. The same statements run on PostgreSQL.
 */
export const TURN_RECORDS_MIGRATION = `
  CREATE TABLE turn_records (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    -- The UTC day of created_at, so analytics group by an indexed column in index order.
    day TEXT NOT NULL,
    outcome TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('answered', 'declined', 'clarify', 'refused', 'handoff', 'action', 'other')),
    intent TEXT,
    topic TEXT,
    handoff_reason TEXT,
    handoff_priority TEXT,
    rules TEXT NOT NULL DEFAULT '[]',
    citations TEXT NOT NULL DEFAULT '[]',
    question TEXT NOT NULL,
    router_version TEXT,
    rating TEXT CHECK (rating IN ('helpful', 'not_helpful')),
    rating_reason TEXT,
    rated_at TEXT
  );
  CREATE INDEX turn_records_by_time ON turn_records (created_at, id);
  CREATE INDEX turn_records_by_kind ON turn_records (kind, day);
  CREATE INDEX turn_records_by_conversation ON turn_records (conversation_id, day);
  -- Covers the analytics count, in its GROUP BY order: one pass over the index, no sort.
  CREATE INDEX turn_records_for_analytics ON turn_records
    (day, kind, intent, topic, handoff_reason, handoff_priority, rating, rating_reason);

  ALTER TABLE handoffs ADD COLUMN claimed_at TEXT;
  ALTER TABLE handoffs ADD COLUMN resolved_at TEXT;
  CREATE INDEX handoffs_by_time ON handoffs (created_at);
  CREATE INDEX handoffs_by_conversation ON handoffs (conversation_id);
`;

/** The dimensions analytics count turns by, in the order of the daily counts' key. */
const DAY_COUNT_KEY = 'day, kind, intent, topic, handoff_reason, handoff_priority, rating, rating_reason';
const DAY_COUNT_NULLABLE = [
  'intent',
  'topic',
  'handoff_reason',
  'handoff_priority',
  'rating',
  'rating_reason',
] as const;

/** A WHERE clause matching the daily count of one turn record (`NEW` or `OLD`); NULLs match NULLs. */
function sameDayCount(row: 'NEW' | 'OLD', nullEquals: 'IS' | 'IS NOT DISTINCT FROM'): string {
  return [
    `day = ${row}.day`,
    `kind = ${row}.kind`,
    ...DAY_COUNT_NULLABLE.map((column) => `${column} ${nullEquals} ${row}.${column}`),
  ].join(' AND ');
}
const rowValues = (row: 'NEW' | 'OLD') =>
  DAY_COUNT_KEY.split(', ')
    .map((column) => `${row}.${column}`)
    .join(', ');

/**
 * Daily counts of turn records per combination of the analytics dimensions, kept by triggers in
 * the transaction of every insert, rating and purge: analytics over a window read one row per day
 * and combination (a few thousand for two months) instead of every turn. Counts that fall to zero
 * stay until their day is purged; readers skip them. The covering index the analytics count used
 * to scan is no longer read, so it goes.
 */
export const TURN_DAY_COUNTS_SQLITE_MIGRATION = `
  CREATE TABLE turn_record_day_counts (
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    intent TEXT,
    topic TEXT,
    handoff_reason TEXT,
    handoff_priority TEXT,
    rating TEXT,
    rating_reason TEXT,
    turns INTEGER NOT NULL
  );
  -- Not UNIQUE: SQLite counts NULLs as distinct there. One writer at a time keeps it one row per key.
  CREATE INDEX turn_record_day_counts_by_key ON turn_record_day_counts (${DAY_COUNT_KEY}, turns);
  INSERT INTO turn_record_day_counts
    SELECT ${DAY_COUNT_KEY}, COUNT(*) FROM turn_records GROUP BY ${DAY_COUNT_KEY};
  CREATE TRIGGER turn_record_day_counts_on_insert AFTER INSERT ON turn_records BEGIN
    INSERT INTO turn_record_day_counts SELECT ${rowValues('NEW')}, 0
      WHERE NOT EXISTS (SELECT 1 FROM turn_record_day_counts WHERE ${sameDayCount('NEW', 'IS')});
    UPDATE turn_record_day_counts SET turns = turns + 1 WHERE ${sameDayCount('NEW', 'IS')};
  END;
  CREATE TRIGGER turn_record_day_counts_on_update AFTER UPDATE OF ${DAY_COUNT_KEY} ON turn_records BEGIN
    UPDATE turn_record_day_counts SET turns = turns - 1 WHERE ${sameDayCount('OLD', 'IS')};
    INSERT INTO turn_record_day_counts SELECT ${rowValues('NEW')}, 0
      WHERE NOT EXISTS (SELECT 1 FROM turn_record_day_counts WHERE ${sameDayCount('NEW', 'IS')});
    UPDATE turn_record_day_counts SET turns = turns + 1 WHERE ${sameDayCount('NEW', 'IS')};
  END;
  CREATE TRIGGER turn_record_day_counts_on_delete AFTER DELETE ON turn_records BEGIN
    UPDATE turn_record_day_counts SET turns = turns - 1 WHERE ${sameDayCount('OLD', 'IS')};
  END;
  DROP INDEX turn_records_for_analytics;
`;

/** The same daily counts on PostgreSQL: a NULLS NOT DISTINCT key, so concurrent writers upsert safely. */
export const TURN_DAY_COUNTS_POSTGRES_MIGRATION = `
  CREATE TABLE turn_record_day_counts (
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    intent TEXT,
    topic TEXT,
    handoff_reason TEXT,
    handoff_priority TEXT,
    rating TEXT,
    rating_reason TEXT,
    turns BIGINT NOT NULL,
    CONSTRAINT turn_record_day_counts_key UNIQUE NULLS NOT DISTINCT (${DAY_COUNT_KEY})
  );
  INSERT INTO turn_record_day_counts
    SELECT ${DAY_COUNT_KEY}, COUNT(*) FROM turn_records GROUP BY ${DAY_COUNT_KEY};
  CREATE FUNCTION turn_record_day_counts_change() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      UPDATE turn_record_day_counts SET turns = turns - 1
        WHERE ${sameDayCount('OLD', 'IS NOT DISTINCT FROM')};
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      INSERT INTO turn_record_day_counts VALUES (${rowValues('NEW')}, 1)
        ON CONFLICT ON CONSTRAINT turn_record_day_counts_key
        DO UPDATE SET turns = turn_record_day_counts.turns + 1;
    END IF;
    RETURN NULL;
  END;
  $$;
  CREATE TRIGGER turn_record_day_counts_change
    AFTER INSERT OR DELETE OR UPDATE OF ${DAY_COUNT_KEY} ON turn_records
    FOR EACH ROW EXECUTE FUNCTION turn_record_day_counts_change();
  DROP INDEX turn_records_for_analytics;
`;
