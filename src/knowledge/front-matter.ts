import { z } from 'zod';

/** ISO calendar date `YYYY-MM-DD`. Kept as a string so documents round-trip exactly. */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

export const documentStatusSchema = z.enum(['draft', 'approved', 'retired']);
export type DocumentStatus = z.infer<typeof documentStatusSchema>;

export const productSchema = z.enum([
  'accounts',
  'fees',
  'cards',
  'payments',
  'overdrafts',
  'disputes',
  'fraud',
  'complaints',
  'lending',
  'savings',
  'identity',
  'privacy',
  'accessibility',
  'contact',
  'general',
]);
export type Product = z.infer<typeof productSchema>;

/**
 * Front matter of a policy document in `knowledge/documents/*.md`. Compliance owns these fields:
 * only `approved` documents whose effective window contains the day are ever retrievable.
 */
export const frontMatterSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'id must be kebab-case, e.g. fees-international-wire'),
    title: z.string().min(3),
    product: productSchema,
    jurisdiction: z.string().min(2).describe('e.g. UK, EU, US or ALL'),
    audience: z.enum(['retail', 'business', 'all']),
    version: z.string().regex(/^\d+\.\d+(?:\.\d+)?$/, 'version must look like 1.0 or 1.2.3'),
    status: documentStatusSchema,
    effective_from: isoDate,
    effective_until: isoDate.nullable().optional(),
    owner: z.string().min(2),
    approved_by: z.string().min(2).nullable().optional(),
    tags: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .superRefine((value, context) => {
    if (value.status === 'approved' && !value.approved_by) {
      context.addIssue({
        code: 'custom',
        path: ['approved_by'],
        message: 'an approved document needs approved_by',
      });
    }
    if (value.effective_until && value.effective_until < value.effective_from) {
      context.addIssue({
        code: 'custom',
        path: ['effective_until'],
        message: 'effective_until is before effective_from',
      });
    }
  });

export type FrontMatter = z.infer<typeof frontMatterSchema>;

/** True when a document may be retrieved on `day` (YYYY-MM-DD): approved and in force. */
export function isInForce(frontMatter: FrontMatter, day: string): boolean {
  if (frontMatter.status !== 'approved') return false;
  if (frontMatter.effective_from > day) return false;
  if (frontMatter.effective_until && frontMatter.effective_until < day) return false;
  return true;
}
