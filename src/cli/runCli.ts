// Test helper (imported by the CLI tests only): runs `metaplay` as a user would, in a child process.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../../bin/metaplay.mjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function metaplay(args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** The JSON object on the last line of stdout (the contract of every `--json` command). */
export const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1) ?? '');

/** Runs `metaplay` and expects a usage error: exit code 2 and a `metaplay: …` message on stderr. */
export async function expectUsageError(args: string[]): Promise<void> {
  const r = await metaplay(args);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/metaplay: .+/);
}
