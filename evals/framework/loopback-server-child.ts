/**
 * The child side of `startServerProcess`: builds the app named in the `start` message, serves it
 * on loopback, answers `stats` requests and exits on `stop`. Talks to the parent only over IPC.
 */
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import {
  currentProcessStats,
  type FetchHandler,
  type LoopbackServer,
  serveOnLoopback,
} from './loopback-server.js';

const parentMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    factory: z.object({ modulePath: z.string(), exportName: z.string(), options: z.unknown() }),
  }),
  z.object({ type: z.literal('stats'), id: z.number() }),
  z.object({ type: z.literal('stop') }),
]);

const builtSchema = z.object({
  fetch: z.custom<FetchHandler>((value) => typeof value === 'function'),
  close: z.custom<() => unknown>((value) => typeof value === 'function').optional(),
});

let server: LoopbackServer | undefined;
let closeApp: (() => unknown) | undefined;

function send(message: unknown): void {
  process.send?.(message);
}

process.on('message', async (raw) => {
  const message = parentMessageSchema.safeParse(raw);
  if (!message.success) return;
  if (message.data.type === 'stats') {
    send({ type: 'stats', id: message.data.id, stats: currentProcessStats() });
    return;
  }
  if (message.data.type === 'stop') {
    await server?.close();
    await closeApp?.();
    process.exit(0);
  }
  if (message.data.type === 'start') {
    try {
      const { modulePath, exportName, options } = message.data.factory;
      const module = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
      const factory = module[exportName];
      if (typeof factory !== 'function')
        throw new Error(`${modulePath} does not export a function ${exportName}`);
      const built = builtSchema.parse(await factory(options));
      closeApp = built.close;
      server = await serveOnLoopback(built.fetch);
      send({ type: 'ready', url: server.url });
    } catch (error) {
      send({
        type: 'failed',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
  }
});

// If the parent dies, do not linger as an orphan holding a port.
process.on('disconnect', () => process.exit(0));
