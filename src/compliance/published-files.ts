import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { ArtifactKind } from './compliance-store.js';

/** Kebab-case ids only: no dots, slashes or percent signs can reach a file path. */
export const ARTIFACT_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const ARTIFACT_ID_MAX_LENGTH = 100;

/** One published file as found in the knowledge folder. */
export interface PublishedFile {
  readonly id: string;
  readonly text: string;
  readonly modifiedAt: string;
}

/** The published state: files in the knowledge folder (git is their history). */
export interface PublishedFiles {
  read(kind: ArtifactKind, id: string): Promise<string | undefined>;
  list(kind: ArtifactKind): Promise<PublishedFile[]>;
  /** Replaces the file atomically and returns its absolute path. */
  write(kind: ArtifactKind, id: string, text: string): Promise<string>;
  /** Path relative to the knowledge folder of its kind, e.g. `card-lost.md`, for responses. */
  fileName(kind: ArtifactKind, id: string): string;
}

export interface DirectoryPublishedFilesOptions {
  /** `knowledge/documents`: one `<id>.md` per document. */
  readonly documentsDir: string;
  /** `knowledge/policies`: one `<id>.yaml` per policy file. */
  readonly policiesDir: string;
}

/**
 * Published files on disk. Writes go to a temporary file in the same folder, are flushed, then
 * renamed over the target, so a reader (the ingest, a `git diff`) sees the old file or the new
 * one, never half of one.
 */
export class DirectoryPublishedFiles implements PublishedFiles {
  readonly #directories: Record<ArtifactKind, string>;

  constructor({ documentsDir, policiesDir }: DirectoryPublishedFilesOptions) {
    this.#directories = { document: resolve(documentsDir), policy: resolve(policiesDir) };
  }

  fileName(kind: ArtifactKind, id: string): string {
    return `${id}${extensionOf(kind)}`;
  }

  async read(kind: ArtifactKind, id: string): Promise<string | undefined> {
    try {
      return await readFile(this.#pathOf(kind, id), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async list(kind: ArtifactKind): Promise<PublishedFile[]> {
    const directory = this.#directories[kind];
    const extension = extensionOf(kind);
    const names = (await readdir(directory)).filter((name) => name.endsWith(extension)).sort();
    const files: PublishedFile[] = [];
    for (const name of names) {
      const id = name.slice(0, -extension.length);
      // Files whose name is not a valid id cannot be addressed by the API; the ingest reports them.
      if (!isArtifactId(id)) continue;
      const path = join(directory, name);
      const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
      files.push({ id, text, modifiedAt: info.mtime.toISOString() });
    }
    return files;
  }

  async write(kind: ArtifactKind, id: string, text: string): Promise<string> {
    const target = this.#pathOf(kind, id);
    await mkdir(this.#directories[kind], { recursive: true });
    // Dot-prefixed and without the kind's extension, so a crash never leaves a file the ingest reads.
    const temporary = join(this.#directories[kind], `.${id}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(temporary, 'wx', 0o644);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return target;
  }

  /** Checks the id again (defence in depth) and that the result stays inside the folder. */
  #pathOf(kind: ArtifactKind, id: string): string {
    if (!isArtifactId(id)) throw new Error(`refusing an invalid ${kind} id`);
    const directory = this.#directories[kind];
    const path = resolve(directory, `${id}${extensionOf(kind)}`);
    if (!path.startsWith(directory + sep)) throw new Error(`refusing a path outside the ${kind} folder`);
    return path;
  }
}

/** True for a kebab-case id of at most `ARTIFACT_ID_MAX_LENGTH` characters. */
export function isArtifactId(id: string): boolean {
  return id.length <= ARTIFACT_ID_MAX_LENGTH && ARTIFACT_ID_PATTERN.test(id);
}

function extensionOf(kind: ArtifactKind): string {
  return kind === 'document' ? '.md' : '.yaml';
}
