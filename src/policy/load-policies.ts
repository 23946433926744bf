/**
 * Loads `knowledge/policies/*.yaml`: validates each file (errors name the file and the field path),
 * keeps only approved files in force on the given day (the newest version per id), merges them and
 * compiles their patterns. Misconfiguration fails at start-up, never mid-conversation.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { compareVersions } from '../common/compare-versions.js';
import { PatternSet } from '../text/pattern-set.js';
import {
  type PolicyBody,
  type PolicyHeader,
  type PolicyThresholds,
  policyBodySchema,
  policyHeaderSchema,
} from './schema.js';

/** A problem in one policy file, with the path of the offending field. */
export interface PolicyIssue {
  readonly file: string;
  readonly path: string;
  readonly message: string;
}

/** Raised when policies cannot be loaded; `issues` lists every problem found, not only the first. */
export class PolicyLoadError extends Error {
  override readonly name = 'PolicyLoadError';
  constructor(readonly issues: readonly PolicyIssue[]) {
    super(
      `Invalid policies (fix these in knowledge/policies):\n${issues
        .map((issue) => `  ${issue.file}: ${issue.path || '(root)'}: ${issue.message}`)
        .join('\n')}`,
    );
  }
}

export interface CompiledRule {
  readonly id: string;
  readonly patterns: readonly RegExp[];
}

/** A banned-phrase rule: `remove` drops the sentence, `refuse` replaces the answer. */
export type BannedPhraseRule = CompiledRule & {
  readonly action: 'remove' | 'refuse';
  readonly reason: string;
};

/** A required disclosure: its text, the topics that need it and patterns that show it is present. */
export interface RequiredDisclosure {
  readonly id: string;
  readonly topics: readonly string[];
  readonly text: string;
  readonly presentWhen: readonly RegExp[];
}

/** A claim of an outcome of the customer's case; its first capture group, if any, names the outcome. */
export type OutcomeClaimRule = CompiledRule & { readonly reason: string };

/** A banking topic without documents: its name, and where the customer can get that information. */
export type BankingReferralRule = CompiledRule & { readonly name: string; readonly where: string };

/** A regulated-advice rule and the referral text it answers with. */
export type RegulatedAdviceRule = CompiledRule & { readonly referral: string };

/**
 * One compiled pattern set per policy list that the rails and handoff triggers match against,
 * built when the policies load, so a reload brings new sets with the new patterns.
 */
export interface PolicyPatternSets {
  readonly bannedPhrases: PatternSet<BannedPhraseRule>;
  readonly outcomeClaims: PatternSet<OutcomeClaimRule>;
  /** Every `present_when` pattern of every required disclosure. */
  readonly disclosures: PatternSet<RequiredDisclosure>;
  readonly outOfScopeTopics: PatternSet<CompiledRule>;
  readonly inScopeTerms: PatternSet<RegExp>;
  readonly regulatedAdvice: PatternSet<RegulatedAdviceRule>;
  readonly bankingReferrals: PatternSet<BankingReferralRule>;
  readonly insults: PatternSet<RegExp>;
  readonly threats: PatternSet<RegExp>;
  readonly selfHarm: PatternSet<RegExp>;
  readonly explicitRequest: PatternSet<RegExp>;
  readonly vulnerability: PatternSet<CompiledRule>;
  readonly sensitiveTopics: PatternSet<CompiledRule>;
  readonly emotionCues: PatternSet<CompiledRule>;
  readonly internalMarkers: PatternSet<RegExp>;
}

/** The merged, compiled policies the rails and handoff triggers read. */
export interface PolicySet {
  /** `id@version` of every file in force, for provenance in verdicts and eval reports. */
  readonly sources: readonly string[];
  readonly bannedPhrases: readonly BannedPhraseRule[];
  /** Claims of an outcome of the customer's case that need a tool result behind them. */
  readonly outcomeClaims: readonly OutcomeClaimRule[];
  readonly requiredDisclosures: readonly RequiredDisclosure[];
  readonly outOfScopeTopics: readonly CompiledRule[];
  readonly inScopeTerms: readonly RegExp[];
  readonly regulatedAdvice: readonly RegulatedAdviceRule[];
  /** Banking topics without documents, each with where the customer can get that information. */
  readonly bankingReferrals: readonly BankingReferralRule[];
  readonly abuse: {
    readonly insults: readonly RegExp[];
    readonly threats: readonly RegExp[];
    readonly selfHarm: readonly RegExp[];
    /** Abuse-model score bands (the first policy file that sets them wins); see `abuse.yaml`. */
    readonly severity: { readonly warnAt: number; readonly endTurnAt: number; readonly handoffAt: number };
  };
  readonly handoff: {
    readonly explicitRequest: readonly RegExp[];
    readonly vulnerability: readonly CompiledRule[];
    readonly sensitiveTopics: readonly CompiledRule[];
    readonly emotionCues: readonly CompiledRule[];
  };
  readonly internalMarkers: readonly RegExp[];
  readonly thresholds: PolicyThresholds;
  readonly referralTexts: Readonly<Record<string, string>>;
  /** The lists above as compiled pattern sets, for matching (same answers as each regex in turn). */
  readonly patternSets: PolicyPatternSets;
}

/** One validated file. */
export interface ParsedPolicyFile {
  readonly file: string;
  readonly header: PolicyHeader;
  readonly body: PolicyBody;
}

function zodIssues(file: string, prefix: string, error: z.ZodError): PolicyIssue[] {
  return error.issues.map((issue) => ({
    file,
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));
}

const HEADER_KEYS = ['id', 'version', 'status', 'effective_from', 'effective_until', 'owner', 'approved_by'];

/**
 * Parses and validates one policy file's text: one YAML mapping whose header keys (id, version,
 * status, effective_from, effective_until, owner, approved_by) come first, like front matter,
 * followed by body sections.
 */
export function parsePolicyFile(file: string, text: string): ParsedPolicyFile {
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents) || documents.length !== 1) {
    throw new PolicyLoadError([
      {
        file,
        path: '',
        message: 'expected one YAML document (header keys first, then body sections; no --- separators)',
      },
    ]);
  }
  const [document] = documents;
  const issues: PolicyIssue[] = document!.errors.map((error) => ({
    file,
    path: '',
    message: `YAML: ${error.message}`,
  }));
  if (issues.length > 0) throw new PolicyLoadError(issues);
  const data: unknown = document!.toJS();
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new PolicyLoadError([{ file, path: '', message: 'a policy file must be a YAML mapping' }]);
  }
  const entries = Object.entries(data as Record<string, unknown>);
  const header = policyHeaderSchema.safeParse(
    Object.fromEntries(entries.filter(([key]) => HEADER_KEYS.includes(key))),
  );
  const body = policyBodySchema.safeParse(
    Object.fromEntries(entries.filter(([key]) => !HEADER_KEYS.includes(key))),
  );
  if (!header.success) issues.push(...zodIssues(file, '', header.error));
  if (!body.success) issues.push(...zodIssues(file, '', body.error));
  if (!header.success || !body.success) throw new PolicyLoadError(issues);
  // Compile every pattern now so a bad regular expression is reported with its location.
  collectPatternIssues(file, body.data, issues);
  if (issues.length > 0) throw new PolicyLoadError(issues);
  return { file, header: header.data, body: body.data };
}

function collectPatternIssues(file: string, body: PolicyBody, issues: PolicyIssue[]): void {
  const visit = (value: unknown, path: string[]): void => {
    if (Array.isArray(value)) {
      const isPatternList =
        path.at(-1) === 'patterns' ||
        [
          'in_scope_terms',
          'internal_markers',
          'present_when',
          'insults',
          'threats',
          'self_harm',
          'explicit_request',
        ].includes(path.at(-1) ?? '');
      value.forEach((item, index) => {
        if (isPatternList && typeof item === 'string') {
          try {
            compile(item);
          } catch (error) {
            issues.push({
              file,
              path: [...path, String(index)].join('.'),
              message: `invalid pattern: ${(error as Error).message}`,
            });
          }
        } else visit(item, [...path, String(index)]);
      });
    } else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) visit(child, [...path, key]);
    }
  };
  visit(body, []);
}

function compile(source: string): RegExp {
  return new RegExp(source, 'iu');
}

/** True when an approved file is in force on `day` (YYYY-MM-DD). Drafts and retired files never are. */
export function isPolicyInForce(header: PolicyHeader, day: string): boolean {
  if (header.status !== 'approved') return false;
  if (header.effective_from > day) return false;
  return !header.effective_until || header.effective_until >= day;
}

const THRESHOLD_KEYS: readonly (keyof PolicyThresholds)[] = [
  'injection_score',
  'groundedness_minimum',
  'sentence_support_minimum',
  'handoff_confidence',
  'out_of_scope_score',
  'emotion_score',
  'rephrase_similarity',
];

/** Merges in-force files into one compiled `PolicySet`; fails when a required piece is missing or ambiguous. */
export function mergePolicies(files: readonly ParsedPolicyFile[], day: string): PolicySet {
  const newestById = new Map<string, ParsedPolicyFile>();
  for (const file of files) {
    if (!isPolicyInForce(file.header, day)) continue;
    const existing = newestById.get(file.header.id);
    if (
      !existing ||
      file.header.effective_from > existing.header.effective_from ||
      (file.header.effective_from === existing.header.effective_from &&
        compareVersions(file.header.version, existing.header.version) > 0)
    ) {
      newestById.set(file.header.id, file);
    }
  }
  const active = [...newestById.values()].sort((left, right) =>
    left.header.id.localeCompare(right.header.id),
  );
  const issues: PolicyIssue[] = [];
  const thresholds: Partial<PolicyThresholds> = {};
  const thresholdOwner: Record<string, string> = {};
  const referralTexts: Record<string, string> = {};
  const referralOwner: Record<string, string> = {};
  for (const { file, body } of active) {
    for (const [key, value] of Object.entries(body.thresholds ?? {}) as [keyof PolicyThresholds, number][]) {
      if (thresholdOwner[key])
        issues.push({ file, path: `thresholds.${key}`, message: `also set in ${thresholdOwner[key]}` });
      thresholdOwner[key] = file;
      thresholds[key] = value;
    }
    for (const [key, value] of Object.entries(body.referral_texts ?? {})) {
      if (referralOwner[key])
        issues.push({
          file,
          path: `referral_texts.${key}`,
          message: `also set in ${referralOwner[key]}`,
        });
      referralOwner[key] = file;
      referralTexts[key] = value;
    }
  }
  for (const key of THRESHOLD_KEYS) {
    if (thresholds[key] === undefined)
      issues.push({
        file: '(all in-force policies)',
        path: `thresholds.${key}`,
        message: 'no in-force policy sets this threshold',
      });
  }
  for (const required of ['out_of_scope', 'fail_closed', 'injection', 'abuse', 'self_harm', 'ungrounded']) {
    if (!referralTexts[required])
      issues.push({
        file: '(all in-force policies)',
        path: `referral_texts.${required}`,
        message: 'missing referral text',
      });
  }
  active.forEach(({ file, body }) => {
    body.regulated_advice?.forEach((rule, index) => {
      if (!referralTexts[rule.referral])
        issues.push({
          file,
          path: `regulated_advice.${index}.referral`,
          message: `unknown referral text "${rule.referral}"`,
        });
    });
  });
  if (issues.length > 0) throw new PolicyLoadError(issues);

  const all = <T>(pick: (body: PolicyBody) => readonly T[] | undefined): T[] =>
    active.flatMap(({ body }) => pick(body) ?? []);
  const rules = (list: readonly { id: string; patterns: readonly string[] }[]): CompiledRule[] =>
    list.map((rule) => ({ id: rule.id, patterns: rule.patterns.map(compile) }));
  const lists = {
    sources: active.map(({ header }) => `${header.id}@${header.version}`),
    bannedPhrases: all((body) => body.banned_phrases).map((rule) => ({
      id: rule.id,
      patterns: rule.patterns.map(compile),
      action: rule.action,
      reason: rule.reason,
    })),
    outcomeClaims: all((body) => body.outcome_claims).map((rule) => ({
      id: rule.id,
      patterns: rule.patterns.map(compile),
      reason: rule.reason,
    })),
    requiredDisclosures: all((body) => body.required_disclosures).map((rule) => ({
      id: rule.id,
      topics: rule.topics,
      text: rule.text,
      presentWhen: rule.present_when.map(compile),
    })),
    outOfScopeTopics: rules(all((body) => body.out_of_scope_topics)),
    inScopeTerms: all((body) => body.in_scope_terms).map(compile),
    regulatedAdvice: all((body) => body.regulated_advice).map((rule) => ({
      id: rule.id,
      patterns: rule.patterns.map(compile),
      referral: rule.referral,
    })),
    bankingReferrals: all((body) => body.banking_referrals).map((rule) => ({
      id: rule.id,
      name: rule.name,
      patterns: rule.patterns.map(compile),
      where: rule.where,
    })),
    abuse: {
      insults: all((body) => body.abuse?.insults).map(compile),
      threats: all((body) => body.abuse?.threats).map(compile),
      selfHarm: all((body) => body.abuse?.self_harm).map(compile),
      severity: abuseSeverity(all((body) => (body.abuse?.severity ? [body.abuse.severity] : undefined))),
    },
    handoff: {
      explicitRequest: all((body) => body.handoff?.explicit_request).map(compile),
      vulnerability: rules(all((body) => body.handoff?.vulnerability)),
      sensitiveTopics: rules(all((body) => body.handoff?.sensitive_topics)),
      emotionCues: rules(all((body) => body.handoff?.emotion_cues)),
    },
    internalMarkers: all((body) => body.internal_markers).map(compile),
    thresholds: thresholds as PolicyThresholds,
    referralTexts,
  };
  return { ...lists, patternSets: compilePatternSets(lists) };
}

/** Builds the pattern set of every policy list that is matched against (see `PolicyPatternSets`). */
function compilePatternSets(policies: Omit<PolicySet, 'patternSets'>): PolicyPatternSets {
  return {
    bannedPhrases: PatternSet.ofRules(policies.bannedPhrases),
    outcomeClaims: PatternSet.ofRules(policies.outcomeClaims),
    disclosures: new PatternSet(policies.requiredDisclosures, (rule) => rule.presentWhen),
    outOfScopeTopics: PatternSet.ofRules(policies.outOfScopeTopics),
    inScopeTerms: PatternSet.ofPatterns(policies.inScopeTerms),
    regulatedAdvice: PatternSet.ofRules(policies.regulatedAdvice),
    bankingReferrals: PatternSet.ofRules(policies.bankingReferrals),
    insults: PatternSet.ofPatterns(policies.abuse.insults),
    threats: PatternSet.ofPatterns(policies.abuse.threats),
    selfHarm: PatternSet.ofPatterns(policies.abuse.selfHarm),
    explicitRequest: PatternSet.ofPatterns(policies.handoff.explicitRequest),
    vulnerability: PatternSet.ofRules(policies.handoff.vulnerability),
    sensitiveTopics: PatternSet.ofRules(policies.handoff.sensitiveTopics),
    emotionCues: PatternSet.ofRules(policies.handoff.emotionCues),
    internalMarkers: PatternSet.ofPatterns(policies.internalMarkers),
  };
}

/** Used when no policy file sets abuse severity: warn and end the turn together, hand off near certainty. */
const DEFAULT_ABUSE_SEVERITY = { warnAt: 0.55, endTurnAt: 0.55, handoffAt: 0.97 };

function abuseSeverity(
  levels: readonly { warn_at: number; end_turn_at: number; handoff_at: number }[],
): PolicySet['abuse']['severity'] {
  const first = levels[0];
  if (!first) return DEFAULT_ABUSE_SEVERITY;
  return { warnAt: first.warn_at, endTurnAt: first.end_turn_at, handoffAt: first.handoff_at };
}

export interface LoadPoliciesOptions {
  /** Folder of policy files, usually `knowledge/policies`. */
  readonly directory: string;
  /** The day (YYYY-MM-DD) whose in-force policies to load; defaults to today (UTC). */
  readonly day?: string;
}

/** Reads, validates and merges every `*.yaml` policy file in a folder. Collects all file errors before throwing. */
export function loadPolicies({
  directory,
  day = new Date().toISOString().slice(0, 10),
}: LoadPoliciesOptions): PolicySet {
  const names = readdirSync(directory)
    .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
    .sort();
  const parsed: ParsedPolicyFile[] = [];
  const issues: PolicyIssue[] = [];
  for (const name of names) {
    try {
      parsed.push(parsePolicyFile(name, readFileSync(join(directory, name), 'utf8')));
    } catch (error) {
      if (error instanceof PolicyLoadError) issues.push(...error.issues);
      else throw error;
    }
  }
  if (issues.length > 0) throw new PolicyLoadError(issues);
  return mergePolicies(parsed, day);
}
