/**
 * Test helper: runs one script in several Node processes that start their work at the same
 * moment, to race them on a shared SQLite file. Each child prints `ready`, waits for `go` on
 * stdin, does its work and prints one JSON line with its result.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Runs `script` (a .ts file) once per argument list, released together; resolves each child's result. */
export async function raceProcesses(script: string, argumentLists: readonly string[][]): Promise<unknown[]> {
  const children = argumentLists.map((argumentList) =>
    spawn(process.execPath, ['--import', 'tsx', script, ...argumentList], {
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  const lines = children.map((child) => createInterface({ input: child.stdout })[Symbol.asyncIterator]());
  const ready = await Promise.all(lines.map((iterator) => iterator.next()));
  for (const line of ready)
    if (line.value !== 'ready') throw new Error(`race child did not get ready: ${String(line.value)}`);
  for (const child of children) child.stdin.write('go\n');
  const results = await Promise.all(lines.map((iterator) => iterator.next()));
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve, reject) => {
          if (child.exitCode !== null)
            return child.exitCode === 0 ? resolve() : reject(new Error('race child failed'));
          child.once('exit', (code) =>
            code === 0 ? resolve() : reject(new Error(`race child exited ${code}`)),
          );
        }),
    ),
  );
  return results.map((line) => JSON.parse(String(line.value)) as unknown);
}

/** Child side: announces readiness and resolves when the parent says go. */
export async function waitForGo(): Promise<void> {
  process.stdout.write('ready\n');
  const input = createInterface({ input: process.stdin });
  for await (const line of input) {
    if (line.trim() === 'go') break;
  }
  input.close();
  process.stdin.unref();
}
