import { isMap, isScalar, isSeq, type LineCounter, type Node as YamlNode } from 'yaml';

/**
 * The 1-based line of the YAML node at `path` (zod issue path), or of the deepest node that
 * exists on the way there (a missing key points at its parent map). `lineOffset` is added for YAML
 * that starts below line 1 of the file (front matter).
 */
export function lineOfPath(
  root: unknown,
  path: readonly PropertyKey[],
  lineCounter: LineCounter,
  lineOffset = 0,
): number | undefined {
  let current = root as YamlNode | undefined;
  for (const key of path) {
    if (isMap(current)) {
      const pair = current.items.find((item) => isScalar(item.key) && String(item.key.value) === String(key));
      if (!pair) break;
      current = ((pair.value as YamlNode | null) ?? (pair.key as YamlNode)) as YamlNode;
    } else if (isSeq(current)) {
      const item = current.items[Number(key)] as YamlNode | undefined;
      if (!item) break;
      current = item;
    } else {
      break;
    }
  }
  if (!current?.range) return undefined;
  return lineCounter.linePos(current.range[0]).line + lineOffset;
}
