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
  CREATE INDEX turn_records_by_kind ON turn_records (kind, created_at);
  CREATE INDEX turn_records_by_conversation ON turn_records (conversation_id);

  ALTER TABLE handoffs ADD COLUMN claimed_at TEXT;
  ALTER TABLE handoffs ADD COLUMN resolved_at TEXT;
  CREATE INDEX handoffs_by_time ON handoffs (created_at);
  CREATE INDEX handoffs_by_conversation ON handoffs (conversation_id);
`;
