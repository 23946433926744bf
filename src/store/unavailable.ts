/**
 * The database cannot be reached (refused, timed out, pool exhausted past its wait). The server
 * answers 503 with `Retry-After` and readiness fails; nothing was half-written, since every
 * multi-statement write runs in one transaction that the database rolls back on disconnect.
 * Kept apart from the driver code so the server can recognise it without importing a driver.
 */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
  readonly code = 'database_unavailable';
}
