import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { declaredFile, loadDatasetDeclarations } from '../classifier/dataset-declarations.js';
import { readManifest } from '../classifier/model-manifest.js';
import { SHIPPED_MODELS_DIR } from '../classifier/shipped-models.js';
import { defaultComplaintClassifier } from '../routing/complaint-model.js';
import { CFPB_FILE, cfpbPartOf, readCfpbNarrativesByPart } from './cfpb-complaints.js';
import { complaintDevMetrics, complaintDevSets, longMessagesFrom, shippedScore } from './complaint-step.js';

// The public datasets sit beside the project (../shared/datasets) unless TELLER_DATASETS_DIR says otherwise.
const datasetsDir =
  process.env.TELLER_DATASETS_DIR ?? join(SHIPPED_MODELS_DIR, '..', '..', '..', 'shared', 'datasets');
const cfpbFolder = join(datasetsDir, 'cfpb_complaints_sample');

describe('CFPB parts', () => {
  it('when a narrative is assigned a part then the same text always gets the same part', () => {
    const text = 'I disputed the late payment three times and the company still reports it.';
    expect(cfpbPartOf(text)).toBe(cfpbPartOf(`${text}`));
    expect(['train', 'dev', 'test']).toContain(cfpbPartOf(text));
  });

  it('when training asks for the test part then the declarations refuse it', () => {
    const declarations = loadDatasetDeclarations();
    expect(() => declaredFile(declarations, 'cfpb_complaints_sample', `${CFPB_FILE}#test`, 'train')).toThrow(
      /declared test/,
    );
    expect(() =>
      declaredFile(declarations, 'cfpb_complaints_sample', `${CFPB_FILE}#train`, 'train'),
    ).not.toThrow();
  });

  it.skipIf(!existsSync(cfpbFolder))(
    'when the narratives are read by part then the parts are disjoint and about 60/20/20',
    () => {
      const byPart = readCfpbNarrativesByPart(cfpbFolder);
      const parts = [byPart.train, byPart.dev, byPart.test];
      const [train, dev, test] = parts.map((texts) => new Set(texts));
      for (const text of test!) {
        expect(train!.has(text)).toBe(false);
        expect(dev!.has(text)).toBe(false);
      }
      const total = parts.reduce((sum, texts) => sum + texts.length, 0);
      expect(parts[0]!.length / total).toBeGreaterThan(0.55);
      expect(parts[2]!.length / total).toBeGreaterThan(0.15);
    },
    60_000,
  );
});

describe('complaint step', () => {
  it('when long messages are built then each joins three to six of the questions', () => {
    const questions = ['How do I order a card?', 'What is my PIN?', 'Can I pay in a cheque?'];
    for (const message of longMessagesFrom(questions, 20, 7)) {
      const parts = message.split('? ').length;
      expect(parts).toBeGreaterThanOrEqual(3);
      expect(parts).toBeLessThanOrEqual(6);
    }
    expect(longMessagesFrom(questions, 5, 7)).toEqual(longMessagesFrom(questions, 5, 7));
  });

  it.skipIf(!existsSync(cfpbFolder) || !existsSync(join(datasetsDir, 'clinc150_oos')))(
    'when the committed complaint model scores its dev sets then it reproduces the manifest figures',
    () => {
      const manifest = readManifest(join(SHIPPED_MODELS_DIR, 'manifest.json'));
      const step = manifest.steps.find((candidate) => candidate.name === 'complaint');
      const metrics = complaintDevMetrics(
        shippedScore(defaultComplaintClassifier()),
        complaintDevSets(datasetsDir, manifest.seed),
      );
      expect(metrics).toEqual(step?.metrics);
    },
    60_000,
  );
});
