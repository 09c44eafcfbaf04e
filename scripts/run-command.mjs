// One way for the root scripts (build, demo) to run a command and keep its output for when it fails.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Runs a command, collecting its output; rejects with that output when it fails. */
export function runCommand(command, args, { cwd, env = process.env }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) return resolve(output);
      const where = path.relative(ROOT, cwd) || '.';
      reject(new Error(`${command} ${args.join(' ')} in ${where} exited with ${code}:\n${output}`));
    });
  });
}
