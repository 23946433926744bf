import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Manifest, sha256Of } from '../classifier/model-manifest.js';
import { keepStepsNotRun } from './keep-steps-not-run.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function folderWith(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), 'teller-models-'));
  folders.push(folder);
  for (const [name, contents] of Object.entries(files)) writeFileSync(join(folder, name), contents);
  return folder;
}

const step = (name: string) => ({ name, settings: {}, inputs: [], metrics: { accuracy: 1 } });

describe('keepStepsNotRun', () => {
  it('when one step was retrained in place then the other steps and artifacts stay in the manifest, in order', () => {
    const folder = folderWith({ 'router.json': 'router', 'complaint.json': 'new complaint' });
    const artifact = (file: string, stepName: string) => ({
      file,
      sha256: sha256Of(join(folder, file)),
      bytes: 3,
      step: stepName,
    });
    const earlier: Manifest = {
      version: 'v1',
      seed: 7,
      steps: [step('router'), step('complaint')],
      artifacts: [
        artifact('router.json', 'router'),
        { ...artifact('router.json', 'complaint'), file: 'complaint.json' },
      ],
    };
    const fresh: Manifest = {
      version: 'v1',
      seed: 7,
      steps: [step('complaint')],
      artifacts: [artifact('complaint.json', 'complaint')],
    };
    writeFileSync(join(folder, 'manifest.json'), JSON.stringify(fresh));
    const merged = keepStepsNotRun(earlier, folder);
    expect(merged.steps.map((candidate) => candidate.name)).toEqual(['router', 'complaint']);
    expect(merged.artifacts.map((candidate) => candidate.file)).toEqual(['router.json', 'complaint.json']);
    expect(merged.artifacts[1]!.sha256).toBe(sha256Of(join(folder, 'complaint.json')));
  });

  it('when a step not run has an artifact that changed on disk then the merge refuses', () => {
    const folder = folderWith({ 'router.json': 'edited by hand', 'complaint.json': 'new' });
    const earlier: Manifest = {
      version: 'v1',
      seed: 7,
      steps: [step('router')],
      artifacts: [{ file: 'router.json', sha256: '0'.repeat(64), bytes: 3, step: 'router' }],
    };
    writeFileSync(
      join(folder, 'manifest.json'),
      JSON.stringify({ version: 'v1', seed: 7, steps: [step('complaint')], artifacts: [] }),
    );
    expect(() => keepStepsNotRun(earlier, folder)).toThrow(/does not match its manifest hash/);
  });
});
