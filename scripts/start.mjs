/**
 * `npm start`: runs src/main.ts from a compiled copy kept in node_modules/.cache/teller-start/.
 *
 * Under tsx every one of the ~470 modules Teller loads at start-up is resolved, read and
 * transformed through loader hooks that run on a separate thread, one round trip per module:
 * about two thirds of start-up CPU. Here Teller's own sources are compiled once by esbuild (the
 * compiler tsx itself uses) into a few ES modules, and packages stay external, so Node loads them
 * natively. The copy is keyed by a hash of the sources, tsconfig.json and esbuild's version, so an
 * edited source is compiled again at the next start (well under a second) and a fresh clone needs
 * no build step: `npm ci` then `npm start`. Each source keeps its own `import.meta.url`, so files
 * found next to a source (models/, knowledge/, packages) are found as before. A source map is
 * written beside the copy but not loaded by default: with source maps on, Node reads the map of
 * every module that names one, and @opentelemetry/api (which prom-client loads) names one in each
 * of its files: close to a tenth of a warm start's CPU. `NODE_OPTIONS=--enable-source-maps npm start` points stack traces at the .ts
 * files when that is wanted.
 *
 * If the copy cannot be made (no esbuild, a read-only install), Teller starts under tsx as before,
 * with a warning. Plain JavaScript, because it is what runs before any TypeScript can.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceRoot = join(root, 'src');
const entry = join(sourceRoot, 'main.ts');
const cacheRoot = join(root, 'node_modules', '.cache', 'teller-start');

/** The TypeScript files src/main.ts can load (tests excluded: editing one needs no new copy). */
function sourceFiles(directory) {
  return readdirSync(directory)
    .sort()
    .flatMap((name) => {
      const path = join(directory, name);
      if (statSync(path).isDirectory()) return sourceFiles(path);
      return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
    });
}

function compiledCopyKey(esbuildVersion) {
  const hash = createHash('sha256');
  hash.update(`esbuild ${esbuildVersion}\0`);
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  hash.update(readFileSync(join(root, 'tsconfig.json')));
  for (const path of sourceFiles(sourceRoot)) {
    hash.update(`\0${relative(root, path)}\0`);
    hash.update(readFileSync(path));
  }
  return hash.digest('hex').slice(0, 24);
}

/** Gives each source its own location for `import.meta.url`, `dirname` and `filename`, as when run one file at a time. */
const keepSourceLocations = {
  name: 'keep-source-locations',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (arguments_) => {
      const text = readFileSync(arguments_.path, 'utf8')
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(arguments_.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(arguments_.path)))
        .replaceAll('import.meta.filename', JSON.stringify(arguments_.path));
      return { contents: text, loader: 'ts' };
    });
  },
};

/** Compiles src/main.ts and what it imports into `outdir` (ES modules, packages external). */
async function compile(esbuild, outdir) {
  await esbuild.build({
    entryPoints: [entry],
    outdir,
    bundle: true,
    // Modules imported dynamically (the OpenAI, LangChain and Qdrant clients) stay in their own files.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node}`,
    packages: 'external',
    tsconfig: join(root, 'tsconfig.json'),
    // Class and function names as written: errors and logs print them.
    keepNames: true,
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'silent',
    plugins: [keepSourceLocations],
  });
}

/** The compiled entry module, compiling first when the sources changed since the last copy. */
async function compiledEntry() {
  const esbuild = await import('esbuild');
  const key = compiledCopyKey(esbuild.version);
  const directory = join(cacheRoot, key);
  const main = join(directory, 'main.js');
  try {
    statSync(main);
    return main;
  } catch {
    // Not compiled yet for these sources.
  }
  mkdirSync(cacheRoot, { recursive: true });
  // Compiled aside and renamed into place, so a process starting meanwhile never sees half a copy.
  const temporary = join(cacheRoot, `${key}.${process.pid}.tmp`);
  await compile(esbuild, temporary);
  try {
    renameSync(temporary, directory);
  } catch {
    // Another process renamed the same copy first.
    rmSync(temporary, { recursive: true, force: true });
  }
  // Throws (and Teller starts under tsx) unless one of the two renames left a copy in place.
  statSync(main);
  // Older copies go once no process can still be loading from them (lazily imported chunks).
  const stale = Date.now() - 60 * 60 * 1000;
  for (const name of readdirSync(cacheRoot)) {
    const path = join(cacheRoot, name);
    try {
      if (name !== key && statSync(path).mtimeMs < stale) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed meanwhile by another starting process.
    }
  }
  return main;
}

/**
 * `node scripts/start.mjs --build DIR`: compiles once into DIR and exits, for an image that runs
 * `node DIR/main.js` with no compiler, cache or source hashing at start-up (the Dockerfile). The
 * sources must stay where they were compiled from: each keeps its own location.
 */
const buildFlag = process.argv.indexOf('--build');
if (buildFlag >= 0) {
  const outdir = process.argv[buildFlag + 1];
  if (!outdir) {
    console.error('usage: node scripts/start.mjs --build <directory>');
    process.exit(2);
  }
  // The folder is emptied first: never one that holds the project or is the project.
  const target = resolve(outdir);
  if (target === root || relative(target, root).split(sep)[0] !== '..') {
    console.error(`teller: --build ${outdir} would replace the project itself; name a folder of its own`);
    process.exit(2);
  }
  rmSync(target, { recursive: true, force: true });
  await compile(await import('esbuild'), target);
} else {
  let main;
  try {
    main = await compiledEntry();
  } catch (error) {
    console.error(
      `teller: running src/main.ts under tsx (slower start-up): no compiled copy in ${relative(root, cacheRoot)}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (main) {
    await import(pathToFileURL(main).href);
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    await import(pathToFileURL(entry).href);
  }
}
