import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { lineOfPath } from './yaml-lines.js';

const yamlText = [
  'title: Fees',
  'rules:',
  '  - name: first',
  '    patterns:',
  '      - one',
  '  - name: second',
  '',
].join('\n');

function lookUp(path: readonly PropertyKey[], lineOffset?: number): number | undefined {
  const lineCounter = new LineCounter();
  const document = parseDocument(yamlText, { lineCounter });
  return lineOfPath(document.contents, path, lineCounter, lineOffset);
}

describe('lineOfPath', () => {
  it('when the path names a value in a list of maps then its line is returned', () => {
    expect(lookUp(['title'])).toBe(1);
    expect(lookUp(['rules', 1, 'name'])).toBe(6);
    expect(lookUp(['rules', '0', 'patterns', '0'])).toBe(5);
  });

  it('when a key is missing then the line of the deepest node on the way is returned', () => {
    expect(lookUp(['rules', 1, 'patterns'])).toBe(6);
    expect(lookUp(['rules', 5])).toBe(3);
  });

  it('when the YAML starts below line 1 of its file then the offset is added', () => {
    expect(lookUp(['rules', 1, 'name'], 1)).toBe(7);
  });
});
