import type { KeyValueStore } from '../privacy/key-value-vault-store.js';
import type { SqliteDatabase } from './database.js';

/**
 * The encrypted redaction vault's storage in the embedded database, so conversation tokens survive
 * restarts. Values arrive already sealed by the vault; this store never sees plaintext PII.
 */
export class SqliteKeyValueStore implements KeyValueStore {
  readonly #database: SqliteDatabase;
  readonly #get;
  readonly #set;
  readonly #delete;
  readonly #keys;

  constructor(database: SqliteDatabase) {
    this.#database = database;
    this.#get = database.prepare<[string], { value: string }>(
      'SELECT value FROM vault_entries WHERE key = ?',
    );
    this.#set = database.prepare(
      'INSERT INTO vault_entries (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.#delete = database.prepare('DELETE FROM vault_entries WHERE key = ?');
    this.#keys = database.prepare<[string, string], { key: string }>(
      'SELECT key FROM vault_entries WHERE key >= ? AND key < ? || char(1114111)',
    );
  }

  get(key: string): string | undefined {
    return this.#get.get(key)?.value;
  }

  set(key: string, value: string): void {
    this.#set.run(key, value);
  }

  delete(key: string): void {
    this.#delete.run(key);
  }

  *keys(prefix: string): Iterable<string> {
    for (const row of this.#keys.all(prefix, prefix)) yield row.key;
  }

  /**
   * IMMEDIATE, so a worker process sharing the file cannot read the same counter in between
   * (inside an open transaction better-sqlite3 makes it a savepoint).
   */
  exclusively<Result>(work: () => Result): Result {
    return this.#database.transaction(work).immediate();
  }
}
