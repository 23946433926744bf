import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOutForComparison } from './comparison-checkout.js';
import { projectRoot } from './datasets.js';

describe('checkOutForComparison', () => {
  it('when a ref names a commit then it is checked out with linked node_modules, and removed without a trace', () => {
    const checkout = checkOutForComparison(projectRoot, 'HEAD');
    try {
      expect(checkout.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(readFileSync(join(checkout.root, 'package.json'), 'utf8')).toContain('"name": "teller"');
      expect(existsSync(join(checkout.root, 'node_modules', 'zod', 'package.json'))).toBe(true);
      expect(checkout.sameDependencies).toBe(true);
    } finally {
      checkout.remove();
    }
    expect(existsSync(checkout.root)).toBe(false);
  });

  it('when a ref names no commit then it says which and how to fix it', () => {
    expect(() => checkOutForComparison(projectRoot, 'no-such-branch-anywhere')).toThrow(
      /--compare no-such-branch-anywhere: no such commit/,
    );
  });
});
