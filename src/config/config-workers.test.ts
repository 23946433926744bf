import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('TELLER_WORKERS', () => {
  it('when unset then one worker serves, as without cluster mode', () => {
    expect(loadConfig({}).server.workers).toBe(1);
  });

  it('when a number or auto then that many workers', () => {
    expect(loadConfig({ TELLER_WORKERS: '2' }).server.workers).toBe(2);
    expect(loadConfig({ TELLER_WORKERS: ' AUTO ' }).server.workers).toBe(availableParallelism());
  });

  it.each(['0', '-1', '1.5', 'two', '', '65', '1e2'])(
    'when "%s" then start-up stops with how to fix it',
    (value) => {
      expect(() => loadConfig({ TELLER_WORKERS: value })).toThrow(ConfigError);
      expect(() => loadConfig({ TELLER_WORKERS: value })).toThrow(
        /TELLER_WORKERS must be a whole number from 1 to 64 or `auto`/,
      );
    },
  );

  it('when several workers would each get a private in-memory database then start-up stops', () => {
    expect(() => loadConfig({ TELLER_WORKERS: '2', DATABASE_PATH: ':memory:' })).toThrow(
      /needs a database file the workers share/,
    );
    expect(loadConfig({ TELLER_WORKERS: '1', DATABASE_PATH: ':memory:' }).server.workers).toBe(1);
  });

  it('when the primary gives a worker its slot then the worker knows its number; a bad slot stops it', () => {
    expect(loadConfig({ TELLER_WORKERS: '2', TELLER_WORKER_SLOT: '2' }).server.workerSlot).toBe(2);
    expect(loadConfig({}).server.workerSlot).toBeUndefined();
    expect(() => loadConfig({ TELLER_WORKER_SLOT: '0' })).toThrow(ConfigError);
  });
});
