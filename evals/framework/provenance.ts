/**
 * Facts that let someone reproduce an eval run: the commit, the runtime, the exact dataset files
 * and the versions of the knowledge documents and policies the answers were grounded on.
 * Knowledge files are read directly with `yaml` so the framework does not depend on the
 * modules it is evaluating.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** The commit checked out in `directory`, or undefined outside a git work tree. */
export function gitCommit(directory: string): { commit: string; dirty: boolean } | undefined {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: directory,
      encoding: 'utf8',
      stdio: 'pipe',
    }).trim();
    const changes = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: directory,
      encoding: 'utf8',
      stdio: 'pipe',
    });
    return { commit, dirty: changes.trim().length > 0 };
  } catch {
    return undefined;
  }
}

/** One file of a dataset, as it was when the run read it. */
export interface FileFingerprint {
  /** Path relative to the dataset folder. */
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface DatasetFingerprint {
  readonly name: string;
  readonly files: readonly FileFingerprint[];
  /** sha256 over the file list (paths and hashes), one value to compare two runs by. */
  readonly sha256: string;
}

function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

function listFiles(directory: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(path));
    else if (entry.isFile()) files.push(path);
  }
  return files.sort();
}

/** Sizes and hashes of every file in a dataset folder (the shared datasets are a few MB each). */
export function fingerprintDataset(name: string, folder: string): DatasetFingerprint {
  const files = listFiles(folder).map((path) => ({
    path: relative(folder, path),
    bytes: statSync(path).size,
    sha256: sha256(readFileSync(path)),
  }));
  return { name, files, sha256: sha256(files.map((file) => `${file.path}:${file.sha256}`).join('\n')) };
}

/** A set of versioned knowledge files: how many, one hash over all contents, and `id@version` each. */
export interface KnowledgeFingerprint {
  readonly count: number;
  readonly sha256: string;
  /** `id@version` for every file with front matter; the file name when it has none. */
  readonly versions: readonly string[];
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)/;

/** The `id`/`version` of a Markdown file's front matter or of a YAML/JSON file's top level. */
function idAtVersion(fileName: string, text: string): string {
  let data: unknown;
  try {
    const extension = extname(fileName).toLowerCase();
    if (extension === '.md') data = parseYaml(FRONT_MATTER.exec(text)?.[1] ?? '');
    else if (extension === '.yaml' || extension === '.yml' || extension === '.json') data = parseYaml(text);
  } catch {
    return `${fileName}@unparsable`;
  }
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    const record = data as Record<string, unknown>;
    const id = record.id ?? record.name ?? fileName;
    return `${String(id)}@${record.version === undefined ? 'unversioned' : String(record.version)}`;
  }
  return `${fileName}@unversioned`;
}

/** Fingerprints the files of one knowledge folder (non-recursive); empty when the folder is absent. */
export function fingerprintKnowledgeFolder(
  folder: string,
  accept: (fileName: string) => boolean,
): KnowledgeFingerprint {
  if (!existsSync(folder)) return { count: 0, sha256: sha256(''), versions: [] };
  const names = readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isFile() && accept(entry.name) && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
  const hash = createHash('sha256');
  const versions: string[] = [];
  for (const name of names) {
    const content = readFileSync(join(folder, name), 'utf8');
    hash.update(`${name}\n${content}\n`);
    versions.push(idAtVersion(name, content));
  }
  return { count: names.length, sha256: hash.digest('hex'), versions };
}

/** Documents (`documents/*.md`) and policies (`policies/*`) under a knowledge directory. */
export function fingerprintKnowledge(knowledgeDir: string): {
  documents: KnowledgeFingerprint;
  policies: KnowledgeFingerprint;
} {
  return {
    documents: fingerprintKnowledgeFolder(join(knowledgeDir, 'documents'), (name) => name.endsWith('.md')),
    policies: fingerprintKnowledgeFolder(join(knowledgeDir, 'policies'), () => true),
  };
}
