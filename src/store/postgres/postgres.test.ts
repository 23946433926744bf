import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createScratchDatabase,
  postgresUnavailableReason,
  type ScratchDatabase,
} from '../../testing/postgres-test-database.js';
import { raceProcesses } from '../../testing/race-processes.js';
import { connectPostgres, DatabaseUnavailableError, type PostgresDatabase } from './connection.js';
import { listenForGenerations } from './listen.js';
import { migratePostgres, SchemaTooNewError } from './migrate.js';
import { postgresMigrations } from './migrations.js';
import { openPostgresBackend, type PostgresBackend } from './postgres-backend.js';

const CHILD = fileURLToPath(new URL('../../testing/postgres-audit-race-child.ts', import.meta.url));
const unavailable = await postgresUnavailableReason();

describe('PostgreSQL when the server is unreachable', () => {
  it('when nothing listens at the address then opening fails fast with a clear unavailable error', async () => {
    const started = Date.now();
    const failure = await openPostgresBackend({
      url: 'postgres://teller@127.0.0.1:1/teller',
      connectionTimeoutMs: 1000,
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DatabaseUnavailableError);
    expect((failure as Error).message).toMatch(/PostgreSQL is unreachable/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe.skipIf(unavailable)(`PostgreSQL backend${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let scratch: ScratchDatabase;
  let backend: PostgresBackend;
  beforeAll(async () => {
    scratch = await createScratchDatabase();
    backend = await openPostgresBackend({ url: scratch.url });
  });
  afterAll(async () => {
    await backend?.close();
    await scratch?.drop();
  });

  it('when several instances migrate at once then each migration is applied exactly once', async () => {
    const fresh = await createScratchDatabase();
    const databases = [0, 1, 2].map(() => connectPostgres({ url: fresh.url, maxConnections: 2 }));
    try {
      const reports = await Promise.all(databases.map((database) => migratePostgres(database)));
      const applied = reports.flatMap((report) => report.applied);
      expect(applied.sort()).toEqual(postgresMigrations.map((migration) => migration.id).sort());
      expect(reports.every((report) => report.current === postgresMigrations.length)).toBe(true);
      const rows = await databases[0]!.query<{ id: number }>('SELECT id FROM schema_migrations ORDER BY id');
      expect(rows.map((row) => row.id)).toEqual(postgresMigrations.map((migration) => migration.id));
    } finally {
      await Promise.all(databases.map((database) => database.close()));
      await fresh.drop();
    }
  });

  it('when the database was migrated by a newer release then start-up is refused before any change', async () => {
    await backend.database.execute(
      "INSERT INTO schema_migrations (id, name) VALUES (999, 'from the future')",
    );
    try {
      await expect(migratePostgres(backend.database)).rejects.toBeInstanceOf(SchemaTooNewError);
    } finally {
      // schema_migrations is not append-only; the scratch database is reused by later tests.
      await backend.database.execute('DELETE FROM schema_migrations WHERE id = 999');
    }
  });

  it('when processes append to the audit log at the same moment then none fails and the chain has no fork', async () => {
    const results = (await raceProcesses(CHILD, [
      [scratch.url, '60', 'first'],
      [scratch.url, '60', 'second'],
      [scratch.url, '60', 'third'],
    ])) as Array<{ failures: number }>;
    expect(results.map((result) => result.failures)).toEqual([0, 0, 0]);
    expect(await backend.audit.verifyChain()).toBeUndefined();
    const counts = await backend.database.query<{ actor: string; count: string }>(
      "SELECT actor, COUNT(*) AS count FROM audit_log WHERE action = 'race.append' GROUP BY actor ORDER BY actor",
    );
    expect(counts.map((row) => [row.actor, Number(row.count)])).toEqual([
      ['first', 60],
      ['second', 60],
      ['third', 60],
    ]);
    const switches = await backend.database.query<{ count: string }>(
      `SELECT COUNT(*) AS count FROM audit_log a JOIN audit_log b ON b.previous_hash = a.hash WHERE a.actor != b.actor`,
    );
    expect(Number(switches[0]!.count)).toBeGreaterThan(1);
  }, 90_000);

  it('when someone tries to change or delete an audit record then the database refuses', async () => {
    await backend.audit.record({ actor: 'c_1', action: 'turn.completed', subject: 'conv_t' });
    await expect(backend.database.execute("UPDATE audit_log SET actor = 'someone else'")).rejects.toThrow(
      /append-only/,
    );
    await expect(backend.database.execute('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(backend.database.execute('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
  });

  it('when a second record claims the same previous hash then it cannot commit', async () => {
    const [head] = await backend.database.query<{ hash: string }>(
      'SELECT hash FROM audit_log ORDER BY sequence DESC LIMIT 2 OFFSET 1',
    );
    await expect(
      backend.database.execute(
        `INSERT INTO audit_log (at, actor, action, details, previous_hash, hash) VALUES ('x', 'forger', 'fork', '{}', $1, 'y')`,
        [head!.hash],
      ),
    ).rejects.toThrow(/duplicate key/);
  });

  it('when a record is altered behind the triggers then the chain shows where', async () => {
    const isolated = await createScratchDatabase();
    const other = await openPostgresBackend({ url: isolated.url });
    try {
      for (let index = 0; index < 5; index += 1)
        await other.audit.record({ actor: 'c', action: `step.${index}`, details: { index } });
      expect(await other.audit.verifyChain()).toBeUndefined();
      const [third] = await other.database.query<{ sequence: string }>(
        'SELECT sequence FROM audit_log ORDER BY sequence OFFSET 2 LIMIT 1',
      );
      await other.database.execute('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update');
      await other.database.execute(`UPDATE audit_log SET details = '{"index":99}' WHERE sequence = $1`, [
        third!.sequence,
      ]);
      expect(await other.audit.verifyChain()).toBe(Number(third!.sequence));
    } finally {
      await other.close();
      await isolated.drop();
    }
  });

  it('when a record’s request id is changed behind the triggers then the chain shows where', async () => {
    // Everything a record states is inside its hash, the request id included (red-team finding 15).
    const isolated = await createScratchDatabase();
    const other = await openPostgresBackend({ url: isolated.url });
    try {
      for (let index = 0; index < 3; index += 1)
        await other.audit.record({ actor: 'c', action: `step.${index}`, requestId: `req_${index}` });
      expect(await other.audit.verifyChain()).toBeUndefined();
      await other.database.execute('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update');
      await other.database.execute(`UPDATE audit_log SET request_id = 'req_forged' WHERE action = 'step.1'`);
      const [second] = await other.database.query<{ sequence: string }>(
        `SELECT sequence FROM audit_log WHERE action = 'step.1'`,
      );
      expect(await other.audit.verifyChain()).toBe(Number(second!.sequence));
    } finally {
      await other.close();
      await isolated.drop();
    }
  });

  it('when the pool is exhausted then a caller waits a bounded time and gets the unavailable error', async () => {
    const small: PostgresDatabase = connectPostgres({
      url: scratch.url,
      maxConnections: 1,
      connectionTimeoutMs: 300,
    });
    try {
      const holding = small.withClient(() => new Promise((resolve) => setTimeout(resolve, 1500)));
      const started = Date.now();
      await expect(small.query('SELECT 1')).rejects.toBeInstanceOf(DatabaseUnavailableError);
      expect(Date.now() - started).toBeLessThan(1200);
      await holding;
      expect(await small.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await small.close();
    }
  });

  it('when a generation is bumped then a listener hears it, and after a dropped connection it catches up', async () => {
    const heard: string[] = [];
    let connections = 0;
    const listener = listenForGenerations({
      url: scratch.url,
      onBump: (name) => heard.push(name),
      onConnected: () => {
        connections += 1;
      },
      reconnectDelayMs: 100,
    });
    try {
      await listener.ready;
      const started = Date.now();
      await backend.generations.bump('documents');
      await expect.poll(() => heard, { timeout: 1000, interval: 10 }).toContain('documents');
      expect(Date.now() - started).toBeLessThan(1000);
      // Drop the listening connection from the server side, as a failover or network cut would.
      await backend.database.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'teller-listener' AND datname = current_database()",
      );
      await expect.poll(() => connections, { timeout: 5000, interval: 20 }).toBe(2);
      await backend.generations.bump('policies');
      await expect.poll(() => heard, { timeout: 1000, interval: 10 }).toContain('policies');
    } finally {
      await listener.close();
    }
  });
});
