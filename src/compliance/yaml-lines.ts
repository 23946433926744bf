import { LineCounter, parseAllDocuments, Scalar, visit } from 'yaml';
import type { LineIssue } from './artifact-format.js';

/** A double-quoted YAML string, matching how the knowledge files write versions and dates. */
export function quoted(value: string): Scalar<string> {
  const scalar = new Scalar(value);
  scalar.type = 'QUOTE_DOUBLE';
  return scalar;
}

/** Serialization that keeps long lines and flow lists (`[a, b]`) as people wrote them. */
export const yamlOutputOptions = { lineWidth: 0, flowCollectionPadding: false } as const;

/** Most alias expansions a draft may make; real policies and front matter use none. */
export const MAX_YAML_ALIASES = 50;

/**
 * A line issue when `yamlText` expands aliases beyond `MAX_YAML_ALIASES` (a "billion laughs"
 * bomb), before anything converts it to values: the converter would throw, which must surface as
 * a validation error, not a server error. `lineOffset` is added for YAML below line 1 of a file.
 */
export function aliasBombIssue(yamlText: string, lineOffset = 0): LineIssue | undefined {
  const lineCounter = new LineCounter();
  for (const document of parseAllDocuments(yamlText, { lineCounter })) {
    let firstAlias: number | undefined;
    visit(document, {
      Alias(_key, node) {
        firstAlias ??= node.range?.[0];
        return visit.BREAK;
      },
    });
    if (firstAlias === undefined) continue;
    try {
      document.toJS({ maxAliasCount: MAX_YAML_ALIASES });
    } catch (error) {
      if (!(error instanceof ReferenceError) && !/alias/i.test((error as Error).message)) throw error;
      return {
        line: lineCounter.linePos(firstAlias).line + lineOffset,
        message: `YAML aliases here expand to too many values (more than ${MAX_YAML_ALIASES}); write the values out instead of repeating *aliases`,
      };
    }
  }
  return undefined;
}
