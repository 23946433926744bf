/**
 * Runs eval suites: `npm run eval -- [suite ...] [--fast] [--seed N] [--datasets DIR] [--target URL]
 * [--baseline FILE] [--save-baseline] [--out DIR]`. Everything lives in `evals/framework/`; see
 * docs/evals-and-benchmarks.md.
 */
import { runEvalCommand } from '../evals/framework/eval-command.js';

process.exitCode = await runEvalCommand(process.argv.slice(2));
