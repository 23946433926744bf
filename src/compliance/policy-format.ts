import { LineCounter, parseAllDocuments } from 'yaml';
import { mergePolicies, PolicyLoadError, parsePolicyFile } from '../guardrails/policy/load-policies.js';
import {
  type ArtifactFormat,
  draftHeaderIssues,
  type LineIssue,
  type StampFields,
  sortIssues,
  type ValidationResult,
} from './artifact-format.js';
import { setHeaderFields } from './document-format.js';
import { lineOfPath, yamlOutputOptions } from './yaml-lines.js';

/**
 * Policy rules files (`knowledge/policies/<id>.yaml`): a header document, `---`, then the rules.
 * Validation is the guardrails loader's (`parsePolicyFile`); its field paths are mapped back to
 * lines here so an editor can point at them.
 */
export const policyFormat: ArtifactFormat = {
  kind: 'policy',
  fileName: (id) => `${id}.yaml`,

  validate(text, { mode, expectedId }): ValidationResult {
    const lineCounter = new LineCounter();
    const documents = parseAllDocuments(text, { lineCounter });
    if (!Array.isArray(documents)) {
      return {
        ok: false,
        errors: [{ line: 1, message: 'the file is empty: write a header, ---, then the rules' }],
      };
    }
    const yamlIssues: LineIssue[] = documents.flatMap((document) =>
      document.errors.map((error) => ({
        line: lineCounter.linePos(error.pos[0]).line,
        message: `invalid YAML: ${error.message.split('\n')[0]}`,
      })),
    );
    if (yamlIssues.length > 0) return { ok: false, errors: sortIssues(yamlIssues) };
    if (documents.length !== 2) {
      const extra = documents[2]?.range[0];
      return {
        ok: false,
        errors: [
          {
            line: extra === undefined ? 1 : lineCounter.linePos(extra).line,
            message: 'expected two YAML documents: a header, a line with ---, then the rules',
          },
        ],
      };
    }
    const [headerDocument, bodyDocument] = documents as [(typeof documents)[0], (typeof documents)[0]];
    let parsed: ReturnType<typeof parsePolicyFile>;
    try {
      parsed = parsePolicyFile(`${expectedId ?? 'draft'}.yaml`, text);
    } catch (error) {
      if (!(error instanceof PolicyLoadError)) throw error;
      return {
        ok: false,
        errors: sortIssues(
          error.issues.map((issue) => {
            const [part, ...path] = issue.path ? issue.path.split('.') : [];
            const document = part === 'body' ? bodyDocument : headerDocument;
            const line = part ? lineOfPath(document.contents, path, lineCounter) : undefined;
            return { line: line ?? 1, message: `${issue.path || 'file'}: ${issue.message}` };
          }),
        ),
      };
    }
    const { header } = parsed;
    if (mode === 'draft') {
      const lineOf = (key: string) => lineOfPath(headerDocument.contents, [key], lineCounter) ?? 1;
      const issues = draftHeaderIssues(header, expectedId, lineOf);
      if (issues.length > 0) return { ok: false, errors: sortIssues(issues) };
    }
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
        body: text.slice(bodyDocument.range[0]).replace(/^---[^\n]*\n/, ''),
      },
    };
  },

  stamp(text: string, fields: StampFields): string {
    const documents = parseAllDocuments(text);
    if (!Array.isArray(documents) || documents.length !== 2) {
      throw new Error('stamp needs a policy with a header and a body document');
    }
    const [header, body] = documents as [(typeof documents)[0], (typeof documents)[0]];
    setHeaderFields(header, fields);
    // Only the header is re-serialized; the rules are kept byte for byte.
    return `${header.toString(yamlOutputOptions)}${text.slice(body.range[0])}`;
  },
};

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
