import { describe, expect, it } from 'vitest';
import { createKeepAliveClient } from './keep-alive-client.js';
import { serveOnLoopback } from './loopback-server.js';

describe('createKeepAliveClient', () => {
  it('when given several instances then requests go to each in turn, as a round-robin balancer sends them', async () => {
    const servers = await Promise.all(
      ['a', 'b'].map((name) => serveOnLoopback(() => Response.json({ instance: name }))),
    );
    const client = createKeepAliveClient(
      servers.map((server) => server.url),
      2,
    );
    try {
      const answers = [];
      for (let request = 0; request < 4; request += 1) answers.push(await client.json('GET', '/'));
      expect(answers).toEqual([{ instance: 'a' }, { instance: 'b' }, { instance: 'a' }, { instance: 'b' }]);
    } finally {
      client.close();
      await Promise.all(servers.map((server) => server.close()));
    }
  });
});
