/**
 * PII benchmark: throughput (MB/s) and per-message latency (mean, p50, p95 in µs) of Teller's
 * privacy guard (analyzer + anonymizer + vault, i.e. `redactMessage`) and of the analyzer alone,
 * against @redactpii/node's `redact` on the same messages, in one run, after a warm-up. Latency
 * per message is the fastest of several interleaved rounds and throughput the fastest full pass,
 * so load from other processes on a shared machine does not land on one system only.
 *
 * Messages: presidio_research_pii sentences joined into ~250-character messages (the typical
 * length of a customer message); a seeded synthetic set when the datasets are absent.
 */

import { createRandom } from '../../src/common/seeded-random.js';
import { createAnalyzer } from '../../src/privacy/analyzer.js';
import { createPrivacyGuard } from '../../src/privacy/guard.js';
import { createOfflineRedactor } from '../../src/privacy/recognizers/redactpii.js';
import { datasetPath } from '../framework/datasets.js';
import { round, summarize } from '../framework/statistics.js';
import type { Benchmark, SuiteTable } from '../framework/types.js';
import { RESEARCH_FILES, readResearchFile } from '../suites/pii.js';

const TARGET_LENGTH = 250;

/** Joins consecutive sentences until each message reaches about TARGET_LENGTH characters. */
function joinSentences(sentences: readonly string[]): string[] {
  const messages: string[] = [];
  let current = '';
  for (const sentence of sentences) {
    current = current ? `${current} ${sentence}` : sentence;
    if (current.length >= TARGET_LENGTH - 40) {
      messages.push(current);
      current = '';
    }
  }
  return messages;
}

/** A seeded synthetic set in the same spirit, for machines without the datasets. */
function syntheticMessages(count: number, seed: number): string[] {
  const random = createRandom(seed);
  const parts = [
    'Hi, my name is Jane Doe and I need help with my account.',
    'My card 4111 1111 1111 1111 was declined at the shop yesterday evening.',
    'Please call me on +44 7911 123456 or email jane.doe@example.com when you can.',
    'I moved to 221 Baker Street, London NW1 6XE last month.',
    'The transfer to GB29 NWBK 6016 1331 9268 19 has not arrived yet.',
    'I would like to know the fees for sending money abroad to my family.',
    'Can you tell me why my statement shows a charge I do not recognise?',
    'My sort code is 60-16-13 and account number 31926819.',
    'Thanks for your help, it has been a long week and I am quite worried.',
    'What are the opening hours of the branch near the station?',
  ];
  const sentences = Array.from({ length: count * 4 }, () => random.pick(parts));
  return joinSentences(sentences).slice(0, count);
}

interface Measured {
  readonly name: string;
  readonly perMessageMicros: number[];
  readonly megabytesPerSecond: number;
}

type Work = (text: string, index: number) => unknown;

/**
 * Times every system over the same messages, interleaved round by round so they share the same
 * machine conditions. Latency: for each message, the fastest of the rounds (on a shared machine
 * the slower repeats measure other processes, not this code). Throughput: the fastest full pass.
 */
/** Runs one piece of work to its end: the guard's redaction resolves asynchronously (its vault may be a database). */
async function settle(result: unknown): Promise<void> {
  if (result instanceof Promise) await result;
}

async function measureAll(
  systems: ReadonlyArray<readonly [string, Work]>,
  messages: readonly string[],
  rounds: number,
): Promise<Measured[]> {
  const bytes = messages.reduce((sum, message) => sum + Buffer.byteLength(message), 0);
  const best = systems.map(() => messages.map(() => Number.POSITIVE_INFINITY));
  const bestPass = systems.map(() => Number.POSITIVE_INFINITY);
  for (let round = 0; round < rounds; round++) {
    for (const [system, [, work]] of systems.entries()) {
      const started = performance.now();
      for (let index = 0; index < messages.length; index++) await settle(work(messages[index]!, index));
      bestPass[system] = Math.min(bestPass[system]!, (performance.now() - started) / 1000);
      const times = best[system]!;
      for (let index = 0; index < messages.length; index++) {
        const before = performance.now();
        await settle(work(messages[index]!, index));
        times[index] = Math.min(times[index]!, (performance.now() - before) * 1000);
      }
    }
  }
  return systems.map(([name], system) => ({
    name,
    perMessageMicros: best[system]!,
    megabytesPerSecond: bytes / 1_000_000 / bestPass[system]!,
  }));
}

export const benchmark: Benchmark = {
  name: 'pii',
  description: 'Privacy guard vs @redactpii/node: MB/s and µs per ~250-char message',
  async run(context) {
    const directory = datasetPath(context.datasetsDir, 'presidio_research_pii');
    let messages: string[];
    let source: string;
    if (directory) {
      const sentences = RESEARCH_FILES.flatMap((file) => readResearchFile(directory, file)).map(
        (record) => record.text,
      );
      messages = joinSentences(createRandom(context.seed).shuffle(sentences));
      source = `presidio_research_pii (${RESEARCH_FILES.join(', ')}), shuffled with seed ${context.seed}`;
    } else {
      context.log('presidio_research_pii not found: using the synthetic message set');
      messages = syntheticMessages(1200, context.seed);
      source = `synthetic, seed ${context.seed}`;
    }
    if (context.quick) messages = messages.slice(0, 200);
    const rounds = context.quick ? 3 : 9;
    const meanLength = messages.reduce((sum, message) => sum + message.length, 0) / messages.length;
    context.log(`${messages.length} messages, mean ${meanLength.toFixed(0)} chars, ${rounds} rounds`);

    const guard = createPrivacyGuard();
    const analyzer = createAnalyzer();
    const redactor = createOfflineRedactor();
    const systems: Array<[string, Work]> = [
      ['redactpii', (text) => redactor.redact(text)],
      ['teller', (text, index) => guard.redactMessage(`bench-${index % 64}`, text)],
      ['teller_analyzer', (text) => analyzer.analyze(text)],
    ];
    // Warm-up: let the JIT compile every path before anything is timed.
    for (const [, work] of systems) {
      for (let pass = 0; pass < 3; pass++) {
        for (let index = 0; index < messages.length; index++) await settle(work(messages[index]!, index));
      }
    }

    const results = await measureAll(systems, messages, rounds);
    const figures: Record<string, number> = {};
    const rows: (string | number)[][] = [];
    for (const result of results) {
      const summary = summarize(result.perMessageMicros);
      figures[`${result.name}.mean_us`] = round(summary.mean, 2);
      figures[`${result.name}.p50_us`] = round(summary.p50, 2);
      figures[`${result.name}.p95_us`] = round(summary.p95, 2);
      figures[`${result.name}.throughput_mb_per_s`] = round(result.megabytesPerSecond, 2);
      rows.push([
        result.name,
        round(summary.mean, 2),
        round(summary.p50, 2),
        round(summary.p95, 2),
        round(result.megabytesPerSecond, 2),
      ]);
    }
    figures['teller.slowdown_vs_redactpii_x'] = round(
      figures['teller.mean_us']! / figures['redactpii.mean_us']!,
      2,
    );
    const table: SuiteTable = {
      title: `per-message latency and throughput (${messages.length} messages, mean ${meanLength.toFixed(0)} chars)`,
      columns: ['system', 'mean µs', 'p50 µs', 'p95 µs', 'MB/s'],
      rows,
    };
    return {
      figures,
      tables: [table],
      environment: {
        node: process.version,
        messages: String(messages.length),
        mean_chars: meanLength.toFixed(1),
        rounds: String(rounds),
        source,
      },
    };
  },
};
