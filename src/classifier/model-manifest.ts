/**
 * The manifest of a versioned models folder (`models/v1/manifest.json`): what each artifact was
 * built from (committed files and dataset files with their hashes, licences and attributions),
 * the seed and settings, and the dev metrics a rebuild or a load must reproduce.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DATASET_ROLES } from './dataset-declarations.js';

const inputSchema = z
  .object({
    /** `dataset/path` for public data, or a project-relative path for committed files. */
    name: z.string().min(1),
    role: z.enum(DATASET_ROLES),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    licence: z.string().min(1),
    attribution: z.string().min(1),
  })
  .strict();

const artifactSchema = z
  .object({
    file: z.string().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    bytes: z.number().int().positive(),
    step: z.string().min(1),
  })
  .strict();

export const manifestSchema = z
  .object({
    version: z.string().regex(/^v\d+$/),
    seed: z.number().int(),
    steps: z.array(
      z
        .object({
          name: z.string().min(1),
          settings: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
          inputs: z.array(inputSchema),
          metrics: z.record(z.string(), z.number()),
        })
        .strict(),
    ),
    artifacts: z.array(artifactSchema),
  })
  .strict();
export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestInput = z.infer<typeof inputSchema>;
export type ManifestStep = Manifest['steps'][number];

/** SHA-256 of a file, or of a folder's matching files (names and contents, in name order). */
export function sha256Of(path: string, include: (name: string) => boolean = () => true): string {
  const hash = createHash('sha256');
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).filter(include).sort()) {
      hash.update(name);
      hash.update(readFileSync(join(path, name)));
    }
  } else hash.update(readFileSync(path));
  return hash.digest('hex');
}

/** Reads and validates a manifest. */
export function readManifest(path: string): Manifest {
  return manifestSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}
