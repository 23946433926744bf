/**
 * The split every row of every detector source belongs to. Declared here once (and written into the
 * manifest by `npm run train:detectors`), so training reads only `train`, the shipped threshold is
 * chosen on `dev`, and the eval measures `test`. See docs/attacks.md for the table per dataset.
 */
import { createHash } from 'node:crypto';

export type DetectorSplit = 'train' | 'dev' | 'test';

/** How each dataset is used by the attack, abuse and threat detectors. */
export const DECLARED_SPLITS: Readonly<Record<string, string>> = {
  deepset_prompt_injections: 'train: DERIVED_train minus a hashed 15% (dev); test: DERIVED_test',
  purplellama_prompt_injection: 'hash of the attack text: 60% train, 20% dev, 20% test',
  jailbreakbench_artifacts:
    'by goal index: 0-69 train, 70-84 dev, 85-99 test (PAIR, GCG, DSN, random search; JBC absent)',
  jailbreakbench_behaviors: 'benign goals by index: 0-69 train, 70-84 dev, 85-99 test (hard negatives)',
  bipia_indirect_injection:
    'train attacks x train e-mails (hashed 15% dev); test attacks x test e-mails = test; raw e-mails are negatives of the same split',
  notinject_piguard: 'hash of the prompt: 40% train, 10% dev, 50% test (hard negatives)',
  xstest: 'safe prompts only, hash: 40% train, 10% dev, 50% test (hard negatives); unsafe prompts unused',
  banking77:
    'train.csv: every 3rd row train, every 10th row dev; test.csv: test (false positives). Threat model: train.csv rows that mention a person, index mod 10 != 9 as negatives, = 9 for the dev false-positive cap',
  clinc150_oos:
    'threat model only: data_full.json train + oos_train rows that mention a person as negatives; val + oos_val ones for the dev false-positive cap',
  hwu64_nlu_evaluation: 'threat model only: trainset rows that mention a person as negatives; testset unused',
  dstc11_natcs_banking_finance_intents: 'test-banking: test; test-finance: dev (threshold)',
  hh_rlhf_harmless_test:
    'unlabelled pool of every customer turn: turns pairing violence with a person mined as weak threat positives, the rest as threat negatives (train only); never tested on',
  convabuse:
    'official splits: train / valid (dev) / test; majority vote of annotators, train rows weighted by their agreement; turns that speak of violence are left out of the threat negatives (unlabelled for threats)',
  ethos_hate_violence:
    'EVALUATION ONLY (GPL-3.0): violence >= 0.5 as threat positives; never read by the trainer',
  teller_banking_attacks:
    'written for Teller (evals/guardrails/detectors/banking-attacks.ts): index mod 10 < 6 train, 6 dev, 7-9 test',
  teller_threats:
    'written for Teller (evals/guardrails/detectors/threat-examples.ts): threats, calls for violence and violent-sounding non-threats by index mod 10 < 6 train, 6 dev, 7-9 test; template combinations train only; evals/guardrails/threat-dev.yaml and threat-dev2.yaml dev (read); threat-test.yaml test (held out)',
  teller_abuse:
    'written for Teller (evals/guardrails/detectors/abuse-examples.ts): train only; dev and test are ConvAbuse valid and test',
  teller_advice:
    'written for Teller (evals/guardrails/detectors/advice-examples.ts): train; evals/guardrails/regulated-advice-dev*.yaml dev (read); regulated-advice-test.yaml test (held out)',
};

/** Deterministic split from a text's hash: below `trainUpTo` is train, below `devUpTo` dev, the rest test. */
export function splitByHash(text: string, trainUpTo: number, devUpTo: number): DetectorSplit {
  const digest = createHash('sha256').update(text).digest();
  const unit = digest.readUInt32BE(0) / 2 ** 32;
  if (unit < trainUpTo) return 'train';
  return unit < devUpTo ? 'dev' : 'test';
}

/** JailbreakBench goal (or behaviour) index to split, so one goal never sits in two splits. */
export function splitByIndex(index: number): DetectorSplit {
  if (index < 70) return 'train';
  return index < 85 ? 'dev' : 'test';
}
