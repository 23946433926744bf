import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { projectRoot } from './datasets.js';
import { createKeepAliveClient } from './keep-alive-client.js';
import { startServerProcess } from './loopback-server.js';

const fixture = fileURLToPath(new URL('./fixtures/timed-echo-app.ts', import.meta.url));

describe('startServerProcess', () => {
  it('serves the app from a child process on 127.0.0.1, reports its memory and notices when it dies', async () => {
    const server = await startServerProcess(
      { modulePath: fixture, exportName: 'createTimedEchoApp', options: { token: 'child-token' } },
      projectRoot,
    );
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.pid).not.toBe(process.pid);
      const client = createKeepAliveClient(server.url, 1);
      const conversation = await client.json(
        'POST',
        '/v1/conversations',
        {},
        { authorization: 'Bearer child-token' },
      );
      client.close();
      expect(conversation).toEqual({ id: 'conv_1' });
      const stats = await server.stats();
      expect(stats.rssMb).toBeGreaterThan(10);
      expect(stats.heapUsedMb).toBeGreaterThan(0);
      // A crashed server fails a stats request instead of leaving the benchmark waiting forever.
      process.kill(server.pid, 'SIGKILL');
      await expect(server.stats()).rejects.toThrow(/exited/);
    } finally {
      await server.close();
    }
  });

  it('when the app cannot be built then rejects with the reason', async () => {
    await expect(
      startServerProcess({ modulePath: fixture, exportName: 'noSuchFactory', options: {} }, projectRoot),
    ).rejects.toThrow(/does not export a function noSuchFactory/);
  });
});
