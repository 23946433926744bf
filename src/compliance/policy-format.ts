import {
  type Document,
  isMap,
  isScalar,
  LineCounter,
  Pair,
  parseAllDocuments,
  parseDocument,
  Scalar,
  type YAMLMap,
} from 'yaml';
import { mergePolicies, PolicyLoadError, parsePolicyFile } from '../policy/load-policies.js';
import { policyBodySchema } from '../policy/schema.js';
import { lineOfPath } from '../text/yaml-lines.js';
import {
  type ArtifactFormat,
  draftHeaderIssues,
  type LineIssue,
  type StampFields,
  sortIssues,
  type ValidationResult,
} from './artifact-format.js';
import { aliasBombIssue, quoted, yamlOutputOptions } from './yaml-lines.js';

/** The header keys, in the order the policy files write them (the guardrails loader's list). */
const HEADER_KEYS = ['id', 'version', 'status', 'effective_from', 'effective_until', 'owner', 'approved_by'];
const SECTION_KEYS = Object.keys(policyBodySchema.shape);

const ONE_DOCUMENT =
  'a policy file is one YAML mapping: the header keys (id, version, status, effective_from, effective_until, owner, approved_by) first, then the rule sections, with no --- line between them';

type ParsedDocument = Document.Parsed;

/** The mapping's top-level pairs, keyed by name, with the 1-based line of each key. */
function topLevelPairs(document: ParsedDocument, lineCounter: LineCounter) {
  const root = document.contents;
  if (!isMap(root)) return [];
  return root.items.map((pair) => ({
    pair,
    key: isScalar(pair.key) ? String(pair.key.value) : '',
    line: pair.key && isScalar(pair.key) && pair.key.range ? lineCounter.linePos(pair.key.range[0]).line : 1,
  }));
}

/**
 * Where the header ends: the end of the line holding the last header key's value. Everything from
 * there on (blank lines, comments, the rule sections) belongs to the rules and is never rewritten.
 */
function headerEnd(text: string, headerPairs: readonly Pair[]): number {
  const last = headerPairs.at(-1);
  if (!last) return 0;
  const node = (last.value ?? last.key) as { range?: [number, number, number] } | null;
  const valueEnd = node?.range?.[1] ?? 0;
  const newline = text.indexOf('\n', valueEnd);
  return newline < 0 ? text.length : newline;
}

/** Header keys written after the first rule section: the file still loads, but cannot be stamped safely. */
function orderIssues(pairs: ReturnType<typeof topLevelPairs>): LineIssue[] {
  const firstSection = pairs.findIndex(({ key }) => !HEADER_KEYS.includes(key));
  if (firstSection < 0) return [];
  const sectionLine = pairs[firstSection]!.line;
  return pairs
    .slice(firstSection)
    .filter(({ key }) => HEADER_KEYS.includes(key))
    .map(({ key, line }) => ({
      line,
      message: `${key}: header keys come before the rule sections; move it above line ${sectionLine} (${pairs[firstSection]!.key})`,
    }));
}

/**
 * Policy rules files (`knowledge/policies/<id>.yaml`): one YAML mapping, header keys first, then
 * the rule sections. Validation is the guardrails loader's (`parsePolicyFile`); its field paths are
 * mapped back to lines here so an editor can point at them. On top of the loader, the header keys
 * must come before the rules, because stamping rewrites the header and keeps the rest byte for byte.
 */
export const policyFormat: ArtifactFormat = {
  kind: 'policy',
  fileName: (id) => `${id}.yaml`,

  validate(text, { mode, expectedId }): ValidationResult {
    const lineCounter = new LineCounter();
    const documents = parseAllDocuments(text, { lineCounter });
    if (!Array.isArray(documents) || documents.length === 0) {
      return {
        ok: false,
        errors: [{ line: 1, message: `the file is empty: ${ONE_DOCUMENT}` }],
      };
    }
    const yamlIssues: LineIssue[] = documents.flatMap((document) =>
      document.errors.map((error) => ({
        line: lineCounter.linePos(error.pos[0]).line,
        message: `invalid YAML: ${error.message.split('\n')[0]}`,
      })),
    );
    if (yamlIssues.length > 0) return { ok: false, errors: sortIssues(yamlIssues) };
    if (documents.length > 1) {
      // A document's range starts at its `---` marker, so this is the line of the separator.
      return {
        ok: false,
        errors: documents.slice(1).map((document) => ({
          line: lineCounter.linePos(document.range[0]).line,
          message: `unexpected --- (a second YAML document): ${ONE_DOCUMENT}. Delete this line.`,
        })),
      };
    }
    const bomb = aliasBombIssue(text);
    if (bomb) return { ok: false, errors: [bomb] };
    const document = documents[0] as ParsedDocument;
    const pairs = topLevelPairs(document, lineCounter);
    const ordering = orderIssues(pairs);
    let parsed: ReturnType<typeof parsePolicyFile>;
    try {
      parsed = parsePolicyFile(`${expectedId ?? 'draft'}.yaml`, text);
    } catch (error) {
      if (!(error instanceof PolicyLoadError)) throw error;
      const issues = error.issues.flatMap((issue): LineIssue[] => {
        if (issue.path) {
          const line = lineOfPath(document.contents, issue.path.split('.'), lineCounter);
          return [{ line: line ?? 1, message: `${issue.path}: ${issue.message}` }];
        }
        // Unknown top-level keys come without a path; point at each one the message names.
        const unknown = pairs.filter(
          ({ key }) =>
            !HEADER_KEYS.includes(key) && !SECTION_KEYS.includes(key) && issue.message.includes(`"${key}"`),
        );
        if (unknown.length === 0) return [{ line: 1, message: issue.message }];
        return unknown.map(({ key, line }) => ({
          line,
          message: `${key}: not a header key or a rule section (sections: ${SECTION_KEYS.join(', ')})`,
        }));
      });
      return { ok: false, errors: sortIssues([...issues, ...ordering]) };
    }
    if (ordering.length > 0) return { ok: false, errors: sortIssues(ordering) };
    const { header } = parsed;
    if (mode === 'draft') {
      const lineOf = (key: string) => pairs.find((candidate) => candidate.key === key)?.line ?? 1;
      const issues = draftHeaderIssues(header, expectedId, lineOf);
      if (issues.length > 0) return { ok: false, errors: sortIssues(issues) };
    }
    const cut = headerEnd(
      text,
      pairs.filter(({ key }) => HEADER_KEYS.includes(key)).map(({ pair }) => pair),
    );
    return {
      ok: true,
      errors: [],
      parsed: {
        id: header.id,
        title: header.id,
        product: null,
        status: header.status,
        version: header.version,
        effectiveFrom: header.effective_from,
        effectiveUntil: header.effective_until ?? null,
        owner: header.owner,
        approvedBy: header.approved_by ?? null,
        frontMatter: { ...header },
        body: text.slice(cut).replace(/^\n+/, ''),
      },
    };
  },

  stamp(text: string, fields: StampFields): string {
    const lineCounter = new LineCounter();
    const documents = parseAllDocuments(text, { lineCounter });
    const document = Array.isArray(documents) && documents.length === 1 ? documents[0] : undefined;
    if (!document || document.errors.length > 0 || !isMap(document.contents)) {
      throw new Error(`stamp needs a valid policy file: ${ONE_DOCUMENT}`);
    }
    const pairs = topLevelPairs(document as ParsedDocument, lineCounter);
    const misplaced = orderIssues(pairs);
    if (misplaced.length > 0) throw new Error(`stamp needs the header first: ${misplaced[0]!.message}`);
    const cut = headerEnd(
      text,
      pairs.filter(({ key }) => HEADER_KEYS.includes(key)).map(({ pair }) => pair),
    );
    // Only the header lines are parsed again and re-serialized; the rules are kept byte for byte.
    const header = parseDocument(text.slice(0, cut));
    const map = header.contents as YAMLMap;
    setField(map, 'version', fields.version, { quote: true });
    setField(map, 'status', fields.status, { quote: false });
    if (fields.approvedBy !== undefined) setField(map, 'approved_by', fields.approvedBy, { quote: false });
    if (fields.effectiveUntil !== undefined) {
      setField(map, 'effective_until', fields.effectiveUntil, { quote: true });
    }
    return `${header.toString(yamlOutputOptions).replace(/\n$/, '')}${text.slice(cut)}`;
  },
};

/**
 * Sets one header field. An existing value is changed in place, so its quoting style and any
 * comment on its line stay; a new key is inserted where the header order puts it (effective_until
 * after effective_from, approved_by last), never after the rules.
 */
function setField(map: YAMLMap, key: string, value: string, { quote }: { quote: boolean }): void {
  const existing = map.items.find((pair) => isScalar(pair.key) && pair.key.value === key);
  if (existing && isScalar(existing.value)) {
    existing.value.value = value;
    // A plain `1.3` would read back as a number; versions and dates are written quoted.
    if (quote && existing.value.type === Scalar.PLAIN) existing.value.type = Scalar.QUOTE_DOUBLE;
    return;
  }
  const node = quote ? quoted(value) : new Scalar(value);
  if (existing) {
    existing.value = node;
    return;
  }
  const rank = HEADER_KEYS.indexOf(key);
  const before = map.items.findIndex(
    (pair) => isScalar(pair.key) && HEADER_KEYS.indexOf(String(pair.key.value)) > rank,
  );
  const pair = new Pair(new Scalar(key), node);
  if (before < 0) map.items.push(pair);
  else map.items.splice(before, 0, pair);
}

/**
 * Problems the whole policy folder would have on the given day if it held these files: each file
 * must parse and the in-force ones must merge (every threshold and referral text set exactly
 * once). Checked before a policy is published or retired, because the loader refuses to start
 * with a folder that fails this.
 */
export function policySetIssues(files: ReadonlyArray<{ id: string; text: string }>, day: string): string[] {
  try {
    const parsed = files.map((file) => parsePolicyFile(`${file.id}.yaml`, file.text));
    mergePolicies(parsed, day);
    return [];
  } catch (error) {
    if (error instanceof PolicyLoadError) {
      return error.issues.map((issue) => `${issue.file}: ${issue.path || '(root)'}: ${issue.message}`);
    }
    throw error;
  }
}
