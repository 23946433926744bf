import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBenchCommand, unitOf } from './bench-command.js';
import type { Benchmark } from './types.js';

describe('unitOf', () => {
  it('reads the unit from the figure name suffix, ignoring the variant after @', () => {
    expect(unitOf('c16.turn.p95_ms')).toBe('ms');
    expect(unitOf('c16.throughput.turns_per_s@10k')).toBe('turns/s');
    expect(unitOf('server.peak.rss_mb')).toBe('MB');
    expect(unitOf('c16.server.cpu_pct')).toBe('%');
    expect(unitOf('c1.errors_count')).toBe('count');
    expect(unitOf('startup_ms@10k')).toBe('ms');
    expect(unitOf('ratio_of_things')).toBe('');
  });
});

describe('runBenchCommand', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'teller-bench-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function recorder() {
    let text = '';
    return { stream: { write: (chunk: string) => (text += chunk) }, text: () => text };
  }

  const fake: Benchmark = {
    name: 'index',
    description: 'Embedded index | queries',
    async run(context) {
      return {
        figures: { 'query.p95_ms': context.quick ? 1.5 : 2.25, 'build.chunks_per_s': 12000 },
        tables: [{ title: 'Sizes', columns: ['chunks', 'ms'], rows: [[1000, 1.5]] }],
        environment: { chunks: '1000' },
      };
    },
  };

  async function run(argv: string[], benchmarks: Record<string, Benchmark>) {
    const stdout = recorder();
    const stderr = recorder();
    const code = await runBenchCommand(argv, {
      root,
      stdout: stdout.stream,
      stderr: stderr.stream,
      availableBenchmarks: Object.keys(benchmarks),
      loadBenchmark: async (name) => benchmarks[name] as Benchmark,
    });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  }

  it('writes JSON and a Markdown table of every figure with unit, command and environment', async () => {
    const { code } = await run(['index', '--quick', '--seed', '11'], { index: fake });
    expect(code).toBe(0);
    const markdown = readFileSync(join(root, 'reports', 'bench', 'latest.md'), 'utf8');
    expect(markdown).toContain(
      '| index | query.p95_ms | 1.500 | ms | `npm run bench -- index --quick --seed 11` |',
    );
    expect(markdown).toContain('| index | build.chunks_per_s | 12000 | chunks/s |');
    expect(markdown).toMatch(/\| cpuCount \| \d+ \|/);
    expect(markdown).toContain('| node | v');
    // A pipe in text must not break the table.
    expect(markdown).toContain('Embedded index | queries');
    const json = JSON.parse(readFileSync(join(root, 'reports', 'bench', 'latest.json'), 'utf8'));
    expect(json.benchmarks[0].figures['query.p95_ms']).toBe(1.5);
    expect(json.environment.cpuModel).toBeTruthy();
    // Each benchmark also keeps its own last run, so another benchmark's run cannot overwrite it.
    expect(readFileSync(join(root, 'reports', 'bench', 'index.md'), 'utf8')).toContain(
      '| index | query.p95_ms |',
    );
  });

  it('when a benchmark throws then exits 1 and records the error', async () => {
    const broken: Benchmark = {
      name: 'broken',
      description: '',
      run: async () => {
        throw new Error('composition root missing');
      },
    };
    const { code, stderr } = await run(['broken'], { broken });
    expect(code).toBe(1);
    expect(stderr).toContain('composition root missing');
    expect(readFileSync(join(root, 'reports', 'bench', 'latest.md'), 'utf8')).toContain('**Failed:**');
  });

  it('when a benchmark name is unknown then exits 2', async () => {
    expect((await run(['nope'], { index: fake })).code).toBe(2);
  });
  it('when --compare is given then only a benchmark that compares commits gets the ref, and the command says so', async () => {
    const seen: Array<string | undefined> = [];
    const comparing: Benchmark = {
      name: 'pipeline',
      description: 'compares',
      comparesCommits: true,
      async run(context) {
        seen.push(context.compare);
        return { figures: { 'compare.head_over_base.cpu_per_turn_ratio': 1 } };
      },
    };
    const compared = await run(['pipeline', '--compare', 'main'], { pipeline: comparing });
    expect(compared.code).toBe(0);
    expect(seen).toEqual(['main']);
    expect(compared.stdout).toContain('npm run bench -- pipeline --compare main');
    const refused = await run(['index', '--compare', 'main'], { index: fake });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('index does not compare commits');
  });
});
