import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The console's committed static files: HTML pages, ES modules and one stylesheet. */
export const DEFAULT_ASSETS_DIRECTORY = fileURLToPath(new URL('./public/', import.meta.url));

/** One file held in memory with the headers it is served with. */
export interface StaticAsset {
  readonly body: Uint8Array;
  readonly contentType: string;
}

const contentTypeByExtension: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

/**
 * Reads every servable file under `directory` once, at start-up. Serving from memory means a
 * request path is only ever a key lookup, so `..` or encoded separators cannot reach the disk.
 * Files of other types (type declarations, notes) are not served.
 */
export function loadStaticAssets(directory: string = DEFAULT_ASSETS_DIRECTORY): Map<string, StaticAsset> {
  const assets = new Map<string, StaticAsset>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        walk(path);
        continue;
      }
      const contentType = contentTypeByExtension[extname(entry.name)];
      if (!contentType) continue;
      const key = relative(directory, path).split(sep).join('/');
      assets.set(key, { body: readFileSync(path), contentType });
    }
  };
  walk(directory);
  if (!assets.has('chat.html')) {
    throw new Error(
      `The console assets are missing from ${directory}: expected chat.html there. Reinstall the project or pass assetsDirectory.`,
    );
  }
  return assets;
}
