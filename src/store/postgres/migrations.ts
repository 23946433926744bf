import { TURN_DAY_COUNTS_POSTGRES_MIGRATION, TURN_RECORDS_MIGRATION } from '../turn-records-schema.js';

/**
 * PostgreSQL schema migrations, applied in order and recorded in `schema_migrations`. Append only:
 * a released migration is never edited, so every database reaches the same shape. Timestamps stay
 * ISO-8601 text, as in SQLite, so both backends hand callers identical values.
 */
export const postgresMigrations: ReadonlyArray<{
  readonly id: number;
  readonly name: string;
  readonly sql: string;
}> = [
  {
    id: 1,
    name: 'conversations, messages, handoffs, audit log',
    sql: `
      CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('active', 'handed_off', 'closed')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX conversations_by_customer ON conversations (customer_id, created_at);

      CREATE TABLE messages (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations (id),
        sequence INTEGER NOT NULL,
        author TEXT NOT NULL CHECK (author IN ('customer', 'assistant', 'agent', 'system')),
        text TEXT NOT NULL,
        metadata TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (conversation_id, sequence)
      );

      CREATE TABLE handoffs (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations (id),
        customer_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        priority TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
        explanation TEXT NOT NULL,
        summary TEXT NOT NULL,
        intent TEXT,
        emotions TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL CHECK (status IN ('open', 'claimed', 'resolved')),
        agent_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX handoffs_by_status ON handoffs (status, priority, created_at);

      -- Append-only, hash-chained. UNIQUE (previous_hash) makes a fork impossible, not just
      -- detectable: two appenders that read the same head cannot both commit.
      CREATE TABLE audit_log (
        sequence BIGSERIAL PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT,
        request_id TEXT,
        details TEXT NOT NULL,
        previous_hash TEXT NOT NULL UNIQUE,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_log_by_subject ON audit_log (subject, sequence);
      CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit_log is append-only'; END;
      $$;
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
    `,
  },
  {
    id: 2,
    name: 'vault, pending actions',
    sql: `
      CREATE TABLE vault_entries (key TEXT COLLATE "C" PRIMARY KEY, value TEXT NOT NULL);

      CREATE TABLE pending_actions (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        action TEXT NOT NULL
      );
      CREATE INDEX pending_actions_by_conversation ON pending_actions (conversation_id, created_at);
      CREATE INDEX pending_actions_by_expiry ON pending_actions (expires_at);
    `,
  },
  {
    id: 3,
    name: 'rate limits, leases, shared generations',
    sql: `
      CREATE TABLE rate_limit_buckets (
        scope TEXT NOT NULL,
        subject TEXT NOT NULL,
        tokens DOUBLE PRECISION NOT NULL,
        updated_at BIGINT NOT NULL,
        allowed BOOLEAN NOT NULL,
        PRIMARY KEY (scope, subject)
      );
      CREATE INDEX rate_limit_buckets_by_age ON rate_limit_buckets (scope, updated_at);

      CREATE TABLE conversation_leases (
        conversation_id TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_at BIGINT NOT NULL
      );

      CREATE TABLE shared_generations (
        name TEXT PRIMARY KEY,
        generation BIGINT NOT NULL
      );
    `,
  },
  {
    id: 4,
    name: 'compliance drafts and publication history',
    sql: `
      CREATE TABLE compliance_drafts (
        kind TEXT NOT NULL CHECK (kind IN ('document', 'policy')),
        artifact_id TEXT NOT NULL,
        content TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        revision INTEGER NOT NULL,
        base_content_hash TEXT,
        author TEXT NOT NULL,
        editors TEXT NOT NULL,
        approved_by TEXT,
        approved_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (kind, artifact_id)
      );

      CREATE TABLE compliance_versions (
        sequence BIGSERIAL PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('document', 'policy')),
        artifact_id TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('published', 'retired')),
        version TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        previous_content_hash TEXT,
        drafted_by TEXT,
        drafted_at TEXT,
        approved_by TEXT,
        approved_at TEXT,
        actor TEXT NOT NULL,
        at TEXT NOT NULL,
        reason TEXT
      );
      CREATE INDEX compliance_versions_by_artifact ON compliance_versions (kind, artifact_id, sequence);
      CREATE FUNCTION compliance_versions_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'compliance_versions is append-only'; END;
      $$;
      CREATE TRIGGER compliance_versions_no_change BEFORE UPDATE OR DELETE ON compliance_versions
        FOR EACH ROW EXECUTE FUNCTION compliance_versions_refuse_change();
    `,
  },
  {
    id: 5,
    name: 'turn records; handoff claim and resolve times',
    sql: TURN_RECORDS_MIGRATION,
  },
  {
    id: 6,
    name: 'training examples labelled by agents',
    sql: `
      CREATE TABLE training_examples (
        id TEXT PRIMARY KEY,
        handoff_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        text TEXT NOT NULL,
        intent TEXT,
        topic TEXT,
        should_have_handled BOOLEAN NOT NULL,
        proposed_by TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('candidate', 'approved', 'rejected')),
        reviewed_by TEXT,
        reviewed_at TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (handoff_id, message_id)
      );
      CREATE INDEX training_examples_by_status ON training_examples (status, created_at);
    `,
  },
  {
    id: 7,
    name: 'handoffs by customer',
    sql: `
      -- The per-customer handoff limit counts a customer's handoffs in a time window on every
      -- handoff decision; without this index that count scans the whole table.
      CREATE INDEX handoffs_by_customer ON handoffs (customer_id, created_at);
    `,
  },
  {
    id: 8,
    name: 'signed audit head',
    sql: `
      -- The newest audit record's sequence and hash, HMAC-signed with AUDIT_KEY: a chain alone
      -- cannot tell a log cut short from a short log, a signed head can.
      CREATE TABLE audit_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        sequence BIGINT NOT NULL,
        hash TEXT NOT NULL,
        signature TEXT NOT NULL
      );
    `,
  },
  {
    id: 9,
    name: 'compliance drafts: approved revision, retirement',
    sql: `
      -- The columns the embedded file's compliance tables gained after migration 4 was written:
      -- the revision an approval covers, and whether a draft publishes or retires, and why.
      ALTER TABLE compliance_drafts
        ADD COLUMN approved_revision INTEGER,
        ADD COLUMN change TEXT NOT NULL DEFAULT 'publish' CHECK (change IN ('publish', 'retire')),
        ADD COLUMN reason TEXT;
    `,
  },
  {
    id: 10,
    name: 'daily turn counts for analytics, kept by triggers',
    sql: TURN_DAY_COUNTS_POSTGRES_MIGRATION,
  },
  {
    id: 11,
    name: 'redaction vault shared by every instance',
    sql: `
      -- The sealed redaction vault, so a placeholder minted on one instance is revealed on any
      -- other. Values arrive sealed (AES-256-GCM, bound to conversation and token); value_hash is
      -- an HMAC of the value under the vault key. The two UNIQUE keys are what make concurrent
      -- tokenizing on several hosts safe: one value never gets two tokens, one token never two
      -- values (a loser of the race finds the winner's row and uses it).
      CREATE TABLE vault_conversations (
        conversation_id TEXT PRIMARY KEY,
        last_used_at BIGINT NOT NULL
      );
      CREATE INDEX vault_conversations_by_last_use ON vault_conversations (last_used_at);

      CREATE TABLE vault_values (
        conversation_id TEXT NOT NULL,
        token TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_index INTEGER NOT NULL,
        value_hash TEXT NOT NULL,
        sealed TEXT NOT NULL,
        PRIMARY KEY (conversation_id, token),
        UNIQUE (conversation_id, value_hash)
      );
      CREATE INDEX vault_values_by_entity ON vault_values (conversation_id, entity, entity_index);

      -- Migration 2's key-value table was never written by the service (the vault stayed in each
      -- instance's SQLite file until this migration).
      DROP TABLE vault_entries;
    `,
  },
];
