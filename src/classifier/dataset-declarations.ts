/**
 * `models/datasets.yaml`: which public dataset files Teller reads and for what (train, dev or
 * test). Training code asks for files through `declaredFile`, which refuses a file declared for
 * another role, so a test split cannot slip into training unnoticed.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

export const DATASET_ROLES = ['train', 'dev', 'test'] as const;
export type DatasetRole = (typeof DATASET_ROLES)[number];

const declarationsSchema = z
  .object({
    version: z.literal(1),
    datasets: z.record(
      z.string().min(1),
      z.object({
        licence: z.string().min(1),
        attribution: z.string().min(1),
        files: z
          .array(
            z
              .object({ path: z.string().min(1), role: z.enum(DATASET_ROLES), note: z.string().optional() })
              .strict(),
          )
          .min(1),
      }),
    ),
  })
  .strict();
export type DatasetDeclarations = z.infer<typeof declarationsSchema>;

/** Where the committed declarations live. */
export const DATASETS_FILE = fileURLToPath(new URL('../../models/datasets.yaml', import.meta.url));

/** Reads and validates the declarations; a file declared twice with different roles is an error. */
export function loadDatasetDeclarations(path = DATASETS_FILE): DatasetDeclarations {
  const declarations = declarationsSchema.parse(parseYaml(readFileSync(path, 'utf8')));
  for (const [name, dataset] of Object.entries(declarations.datasets)) {
    const roles = new Map<string, DatasetRole>();
    for (const file of dataset.files) {
      const earlier = roles.get(file.path);
      if (earlier && earlier !== file.role)
        throw new Error(`${path}: ${name}/${file.path} is declared both ${earlier} and ${file.role}`);
      roles.set(file.path, file.role);
    }
  }
  return declarations;
}

/**
 * Checks that `dataset/path` is declared with `role` and returns the dataset's licence and
 * attribution. Throws, with the fix, when it is not: training must never read undeclared data.
 */
export function declaredFile(
  declarations: DatasetDeclarations,
  dataset: string,
  path: string,
  role: DatasetRole,
): { readonly licence: string; readonly attribution: string } {
  const entry = declarations.datasets[dataset];
  const file = entry?.files.find((candidate) => candidate.path === path);
  if (!entry || !file)
    throw new Error(
      `${dataset}/${path} is not declared in models/datasets.yaml: declare it with a role first`,
    );
  if (file.role !== role)
    throw new Error(`${dataset}/${path} is declared ${file.role} in models/datasets.yaml, not ${role}`);
  return { licence: entry.licence, attribution: entry.attribution };
}
