/**
 * Prints the OpenAPI document exactly as `GET /openapi.json` serves it, without starting a server:
 * `npm run -s openapi > openapi.json`. It builds Teller as `npm start` does (embedded defaults, the
 * environment's settings) over a scratch data folder and asks the app for the document.
 * `--root DIR` builds another checkout of Teller instead (its own sources and knowledge folder),
 * so two commits can be compared byte for byte:
 * `diff <(npm run -s openapi -- --root /path/to/other) <(npm run -s openapi)`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { root: { type: 'string' } } });
const root = resolve(values.root ?? '.');
const load = (path: string) => import(pathToFileURL(join(root, path)).href);
const { loadConfig } = (await load('src/config/config.ts')) as typeof import('../src/config/config.js');
const { buildTeller } = (await load(
  'src/composition/build-teller.ts',
)) as typeof import('../src/composition/build-teller.js');

const scratch = mkdtempSync(join(tmpdir(), 'teller-openapi-'));
try {
  const config = loadConfig({
    ...process.env,
    DATA_DIR: scratch,
    KNOWLEDGE_DIR: join(root, 'knowledge'),
    LOG_LEVEL: 'silent',
  });
  const teller = await buildTeller(config);
  try {
    const response = await teller.app.request('/openapi.json');
    if (response.status !== 200) throw new Error(`GET /openapi.json answered ${response.status}`);
    process.stdout.write(Buffer.from(await response.arrayBuffer()));
  } finally {
    await teller.close();
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
