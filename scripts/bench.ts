/**
 * Runs benchmarks: `npm run bench -- [name ...] [--quick] [--seed N] [--out DIR]`. Everything lives
 * in `evals/framework/bench-command.ts`; see docs/evals-and-benchmarks.md.
 */
import { runBenchCommand } from '../evals/framework/bench-command.js';

process.exitCode = await runBenchCommand(process.argv.slice(2));
