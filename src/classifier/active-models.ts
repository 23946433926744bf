/**
 * Which models version Teller serves. `models/active.json` names the version folder (`v1`,
 * `v2`, …) and keeps the versions active before it, so a rollback restores the previous folder
 * exactly: version folders are written once by `npm run train` and never changed afterwards, and
 * activation and rollback only move this pointer. `MODELS_VERSION` overrides the pointer for one
 * process (the activation gate runs the evals of a candidate that way).
 */
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The committed models folder holding the version folders and the pointer. */
export const MODELS_ROOT = fileURLToPath(new URL('../../models/', import.meta.url));

/** File name of the pointer inside the models folder. */
export const ACTIVE_POINTER_FILE = 'active.json';

const versionSchema = z.string().regex(/^v\d+$/, 'a models version is v followed by a number, e.g. v2');

const pointerSchema = z
  .object({
    version: versionSchema,
    /** Earlier active versions, most recent last: what `rollback` returns to. */
    previous: z.array(versionSchema),
    activatedAt: z.string().nullable(),
    reason: z.string().nullable(),
  })
  .strict();
export type ActiveModelsPointer = z.infer<typeof pointerSchema>;

/** The version a fresh checkout serves when no pointer exists. */
const DEFAULT_VERSION = 'v1';

/** Reads the pointer (the default version when there is none). */
export function readActivePointer(root = MODELS_ROOT): ActiveModelsPointer {
  const path = join(root, ACTIVE_POINTER_FILE);
  if (!existsSync(path)) return { version: DEFAULT_VERSION, previous: [], activatedAt: null, reason: null };
  const parsed = pointerSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success)
    throw new Error(
      `${path} is not a models pointer (${parsed.error.issues[0]?.message}): fix it or run npm run models -- status`,
    );
  return parsed.data;
}

/** The version this process serves: `MODELS_VERSION` when set, else the pointer's. */
export function activeModelsVersion(
  root = MODELS_ROOT,
  environment: NodeJS.ProcessEnv = process.env,
): string {
  const override = environment.MODELS_VERSION;
  if (override !== undefined && override !== '') {
    const parsed = versionSchema.safeParse(override);
    if (!parsed.success) throw new Error(`MODELS_VERSION=${override}: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  }
  return readActivePointer(root).version;
}

/** The folder of `version`; fails with the fix when it does not exist. */
export function modelsVersionDir(version: string, root = MODELS_ROOT): string {
  const directory = join(root, versionSchema.parse(version));
  if (!existsSync(join(directory, 'manifest.json')))
    throw new Error(
      `${directory} holds no manifest.json: train it first (npm run train) or pick another version`,
    );
  return directory;
}

/** Version folders present, oldest first. */
export function listModelsVersions(root = MODELS_ROOT): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && versionSchema.safeParse(entry.name).success)
    .map((entry) => entry.name)
    .sort((left, right) => Number(left.slice(1)) - Number(right.slice(1)));
}

/** The first version number not yet used by a folder. */
export function nextModelsVersion(root = MODELS_ROOT): string {
  const numbers = listModelsVersions(root).map((version) => Number(version.slice(1)));
  return `v${Math.max(0, ...numbers) + 1}`;
}

function writePointer(root: string, pointer: ActiveModelsPointer): void {
  const path = join(root, ACTIVE_POINTER_FILE);
  // Written beside and renamed, so a reader never sees half a pointer.
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(pointerSchema.parse(pointer), null, 2)}\n`);
  renameSync(temporary, path);
}

/** Makes `version` the served one, remembering the current one for `rollbackModels`. */
export function activateModels(
  version: string,
  { root = MODELS_ROOT, reason, now = new Date() }: { root?: string; reason: string; now?: Date },
): ActiveModelsPointer {
  modelsVersionDir(version, root);
  const current = readActivePointer(root);
  if (current.version === version) return current;
  const pointer: ActiveModelsPointer = {
    version,
    previous: [...current.previous, current.version],
    activatedAt: now.toISOString(),
    reason,
  };
  writePointer(root, pointer);
  return pointer;
}

/** Returns to the version active before the current one; fails when there is none. */
export function rollbackModels({
  root = MODELS_ROOT,
  now = new Date(),
}: {
  root?: string;
  now?: Date;
} = {}): ActiveModelsPointer {
  const current = readActivePointer(root);
  const previous = current.previous.at(-1);
  if (!previous)
    throw new Error(`${current.version} is the first active models version: nothing to roll back to`);
  modelsVersionDir(previous, root);
  const pointer: ActiveModelsPointer = {
    version: previous,
    previous: current.previous.slice(0, -1),
    activatedAt: now.toISOString(),
    reason: `rollback from ${current.version}`,
  };
  writePointer(root, pointer);
  return pointer;
}
