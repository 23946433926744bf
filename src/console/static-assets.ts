import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, sep } from 'node:path';
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
 * Browser files of installed npm packages, served as console assets under our own origin (no CDN:
 * the CSP allows scripts from this origin only): asset name → package and file inside it.
 */
export const VENDOR_ASSETS: Readonly<
  Record<string, { readonly packageName: string; readonly file: string }>
> = {
  // Chart.js's self-contained build (no imports), which defines `window.Chart`.
  'vendor-chart.js': { packageName: 'chart.js', file: 'dist/chart.umd.min.js' },
};

/** Where an installed package's root folder is, from its main entry (its exports hide package.json). */
function packageRoot(packageName: string): string {
  const entry = createRequire(import.meta.url).resolve(packageName);
  let folder = dirname(entry);
  while (!folder.endsWith(`${sep}node_modules${sep}${packageName.split('/').join(sep)}`)) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`Cannot find the folder of the installed package ${packageName}.`);
    folder = parent;
  }
  return folder;
}

/** Reads the vendor assets; a missing package stops start-up with how to fix it. */
function loadVendorAssets(assets: Map<string, StaticAsset>): void {
  for (const [name, { packageName, file }] of Object.entries(VENDOR_ASSETS)) {
    let body: Buffer;
    try {
      body = readFileSync(join(packageRoot(packageName), file));
    } catch (error) {
      throw new Error(
        `The console needs ${packageName} (${file}), which is not installed: run npm ci. (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    // The source map is not served; without this line browsers' developer tools ask for it.
    const withoutSourceMap = body.toString('utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
    assets.set(name, {
      body: Buffer.from(withoutSourceMap, 'utf8'),
      contentType: contentTypeByExtension['.js']!,
    });
  }
}

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
  loadVendorAssets(assets);
  if (!assets.has('chat.html')) {
    throw new Error(
      `The console assets are missing from ${directory}: expected chat.html there. Reinstall the project or pass assetsDirectory.`,
    );
  }
  return assets;
}
