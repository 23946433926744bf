/**
 * Another commit of Teller checked out beside this one, for benchmarks that measure two commits in
 * one run (`npm run bench -- pipeline --compare <git-ref>`). The checkout is a detached git
 * worktree in the system's temporary folder; its `node_modules` are hard links to this checkout's
 * (nothing is downloaded or copied), and `remove` deletes the worktree and its git bookkeeping.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ComparisonCheckout {
  /** The ref as given, e.g. `main`. */
  readonly ref: string;
  /** The full commit id the ref named when the checkout was made. */
  readonly commit: string;
  /** Root folder of the checkout. */
  readonly root: string;
  /**
   * False when the ref's package-lock.json differs from this checkout's: its `node_modules` are
   * still this checkout's, so a dependency it added is missing (compare with the branch point).
   */
  readonly sameDependencies: boolean;
  remove(): void;
}

function git(root: string, args: readonly string[]): string {
  return execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: 'pipe' }).trim();
}

/** Checks out `ref` of the repository at `projectRoot` in a temporary worktree. */
export function checkOutForComparison(projectRoot: string, ref: string): ComparisonCheckout {
  let commit: string;
  try {
    commit = git(projectRoot, ['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`]);
  } catch {
    throw new Error(`--compare ${ref}: no such commit in ${projectRoot} (give a branch, tag or commit id).`);
  }
  const parent = mkdtempSync(join(tmpdir(), 'teller-compare-'));
  const root = join(parent, 'teller');
  const remove = () => {
    try {
      git(projectRoot, ['worktree', 'remove', '--force', root]);
    } catch {
      // Not registered (the add failed half-way): the folder and a prune are all that is left.
    }
    rmSync(parent, { recursive: true, force: true });
    git(projectRoot, ['worktree', 'prune']);
  };
  try {
    git(projectRoot, ['worktree', 'add', '--detach', root, commit]);
    const modules = join(projectRoot, 'node_modules');
    if (!existsSync(modules)) throw new Error(`${modules} is missing: run npm ci first.`);
    execFileSync('cp', ['-al', modules, join(root, 'node_modules')], { stdio: 'pipe' });
  } catch (error) {
    remove();
    throw error;
  }
  const lockOf = (folder: string) => readFileSync(join(folder, 'package-lock.json'), 'utf8');
  return { ref, commit, root, sameDependencies: lockOf(projectRoot) === lockOf(root), remove };
}
