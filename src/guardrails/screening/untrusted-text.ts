import { boundedMemo } from '../../common/bounded-memo.js';
import { screenUntrustedContent } from '../input/injection.js';

/** Why an untrusted text was withheld: the injection score and the rules that fired. */
export interface UntrustedTextFinding {
  readonly score: number;
  readonly rules: readonly string[];
}

/**
 * The injection screen for one untrusted text (a retrieved passage, a bank fact), remembered per
 * text and bounded: passages change only when a document is republished and the same facts are
 * listed turn after turn, so each text is scored once. Only the verdict is remembered; callers
 * record every occurrence themselves, so a cached verdict never hides a withheld text from the audit.
 */
export function untrustedTextScreen(
  options: { readonly threshold?: number; readonly maxEntries?: number } = {},
): (text: string) => UntrustedTextFinding | undefined {
  const { threshold, maxEntries = 50_000 } = options;
  return boundedMemo((text) => {
    const screened = screenUntrustedContent(
      { toolOutcomes: [{ tool: 'screen', status: 'ok', facts: [text] }] },
      threshold === undefined ? {} : { threshold },
    );
    const finding = screened.quarantined[0];
    return finding && { score: finding.score, rules: finding.rules };
  }, maxEntries);
}
