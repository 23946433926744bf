/**
 * Dev figures for the out-of-scope rail as the server runs it (policy vocabulary, short-turn rule,
 * model and threshold together), on dev data only: CLINC150 val and oos_val, BANKING77's dev part,
 * and the held-out fifth of NLU++ banking and of the written examples. Used to choose the policy's
 * `out_of_scope_score` and to check a retrained model before it ships (`scripts/scope-dev.ts`).
 */
import { join } from 'node:path';
import type { LinearClassifier } from '../classifier/linear-classifier.js';
import { assessOutOfScope } from '../guardrails/input/out-of-scope.js';
import type { PolicySet } from '../policy/load-policies.js';
import { readBanking77Csv } from './dataset-mapping.js';
import { readClinc150 } from './public-datasets.js';
import { isDevText } from './router-training-data.js';
import {
  CLINC_BANKING_ADJACENT_INTENTS,
  CLINC_CONVERSATION_INTENTS,
  isScopeDevText,
  readNluppTexts,
  readScopeExamples,
} from './scope-training-data.js';

/** A named dev set and whether its messages should be refused as out of scope. */
export interface ScopeDevSet {
  readonly name: string;
  readonly texts: readonly string[];
  readonly expectRefusal: boolean;
}

/** The dev sets, read from the shared datasets folder (every one declared train or dev). */
export function scopeDevSets(datasetsDir: string): ScopeDevSet[] {
  const clinc = readClinc150(join(datasetsDir, 'clinc150_oos'));
  const banking = new Set([...(clinc.domains.banking ?? []), ...(clinc.domains.credit_cards ?? [])]);
  const val = clinc.splits.val ?? [];
  const clincVal = (keep: (intent: string) => boolean) =>
    val.filter(([, intent]) => keep(intent)).map(([text]) => text);
  const written = readScopeExamples().filter((row) => isScopeDevText(row.text));
  return [
    { name: 'clinc150_val.banking', texts: clincVal((intent) => banking.has(intent)), expectRefusal: false },
    {
      name: 'clinc150_val.banking_adjacent',
      texts: clincVal((intent) => CLINC_BANKING_ADJACENT_INTENTS.has(intent)),
      expectRefusal: false,
    },
    {
      name: 'clinc150_val.conversation',
      texts: clincVal((intent) => CLINC_CONVERSATION_INTENTS.has(intent)),
      expectRefusal: false,
    },
    {
      name: 'clinc150_val.other_domains',
      texts: clincVal(
        (intent) =>
          !banking.has(intent) &&
          !CLINC_BANKING_ADJACENT_INTENTS.has(intent) &&
          !CLINC_CONVERSATION_INTENTS.has(intent),
      ),
      expectRefusal: true,
    },
    {
      name: 'clinc150_oos_val',
      texts: (clinc.splits.oos_val ?? []).map(([text]) => text),
      expectRefusal: true,
    },
    {
      name: 'banking77_dev',
      texts: readBanking77Csv(join(datasetsDir, 'banking77', 'train.csv'))
        .map((row) => row.text)
        .filter((text) => isDevText(text)),
      expectRefusal: false,
    },
    {
      name: 'nlupp_scope_dev',
      texts: readNluppTexts(join(datasetsDir, 'nlupp_banking')).filter(isScopeDevText),
      expectRefusal: false,
    },
    {
      name: 'written_dev.in_scope',
      texts: written.filter((row) => row.label === 0).map((row) => row.text),
      expectRefusal: false,
    },
    {
      name: 'written_dev.out_of_scope',
      texts: written.filter((row) => row.label === 1).map((row) => row.text),
      expectRefusal: true,
    },
  ];
}

/** Share of each set's messages the rail refuses as out of scope, with the messages it got wrong. */
export function scopeRefusalRates(
  sets: readonly ScopeDevSet[],
  policies: PolicySet,
  classifier: LinearClassifier,
): Array<{
  readonly name: string;
  readonly count: number;
  readonly refused: number;
  readonly wrong: string[];
}> {
  return sets.map((set) => {
    let refused = 0;
    const wrong: string[] = [];
    for (const text of set.texts) {
      const assessment = assessOutOfScope(text, policies, classifier);
      if (assessment.outOfScope) refused += 1;
      if (assessment.outOfScope !== set.expectRefusal)
        wrong.push(`${assessment.score.toFixed(2)} ${assessment.rule} | ${text}`);
    }
    return {
      name: set.name,
      count: set.texts.length,
      refused: refused / Math.max(1, set.texts.length),
      wrong,
    };
  });
}
