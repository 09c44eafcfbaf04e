import { describe, expect, it } from 'vitest';
import { createArgReader, GLOBAL_OPTIONS, type OptionSpecs, parseCommandArgs, UsageError } from './args';

const SPECS: OptionSpecs = {
  ...GLOBAL_OPTIONS,
  directory: { type: 'string', short: 'd', multiple: true, aliases: ['file'], description: '' },
  exclude: { type: 'string', short: 'e', multiple: true, aliases: ['ignore'], description: '' },
  'release-version': { type: 'string', aliases: ['version'], description: '' },
  'batch-size': { type: 'string', description: '' },
  force: { type: 'boolean', description: '' },
  'skip-on-conflict': { type: 'boolean', description: '' },
};

const parse = (args: string[]) => parseCommandArgs(args, SPECS, 'sourcemap upload');

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseCommandArgs', () => {
  it("accepts posthog-cli's spellings as aliases, with = or a separate value", () => {
    const parsed = parse([
      '--file',
      'a',
      '-d',
      'b',
      '--directory=c',
      '--ignore',
      '*.map',
      '--version=1.2',
      'd',
    ]);
    expect(parsed.values.directory).toEqual(['a', 'b', 'c']);
    expect(parsed.values.exclude).toEqual(['*.map']);
    expect(parsed.values['release-version']).toBe('1.2');
    expect(parsed.positionals).toEqual(['d']);
  });

  it('treats everything after -- as positional', () => {
    expect(parse(['--', '--force', '-x']).positionals).toEqual(['--force', '-x']);
  });

  it('names unknown options with a suggestion', () => {
    expect(usageMessage(() => parse(['--forse']))).toBe('unknown option --forse (did you mean --force?)');
    expect(usageMessage(() => parse(['--batch']))).toBe(
      'unknown option --batch (did you mean --batch-size?)',
    );
    expect(usageMessage(() => parse(['--zzzzzzzz']))).toBe('unknown option --zzzzzzzz');
    expect(usageMessage(() => parse(['-x']))).toBe('unknown option -x');
  });

  it('explains a missing or unexpected value', () => {
    expect(usageMessage(() => parse(['--batch-size']))).toBe('--batch-size needs a value');
    expect(usageMessage(() => parse(['--force=yes']))).toBe('--force takes no value');
  });

  it('keeps --no-fail a flag of its own', () => {
    expect(parse(['--no-fail']).values['no-fail']).toBe(true);
  });
});

describe('createArgReader', () => {
  const reader = (args: string[]) => createArgReader(parse(args), 'sourcemap upload');

  it('reads integers from the flag, then the environment, within a range', () => {
    expect(reader(['--batch-size', '20']).integer('batch-size', { min: 1, max: 1000 })).toBe(20);
    const env = { name: 'BATCH', value: ' 30 ' };
    expect(reader([]).integer('batch-size', { min: 1, max: 1000 }, env)).toBe(30);
    expect(
      usageMessage(() => reader(['--batch-size', '1.5']).integer('batch-size', { min: 1, max: 10 })),
    ).toBe('--batch-size must be an integer from 1 to 10, got "1.5"');
    expect(
      usageMessage(() =>
        reader([]).integer('batch-size', { min: 1, max: 10 }, { name: 'BATCH', value: '0' }),
      ),
    ).toBe('--batch-size (from BATCH) must be an integer from 1 to 10, got "0"');
  });

  it('rejects flags that exclude each other and stray arguments', () => {
    expect(
      usageMessage(() => reader(['--force', '--skip-on-conflict']).exclusive('force', 'skip-on-conflict')),
    ).toBe('--force and --skip-on-conflict cannot be used together; choose one');
    expect(() => reader(['--force']).exclusive('force', 'skip-on-conflict')).not.toThrow();
    expect(usageMessage(() => reader(['a', 'b']).positionals(1, 1, 'the id'))).toBe(
      'unexpected argument "b"',
    );
    expect(usageMessage(() => reader([]).positionals(1, 1, 'the id'))).toBe('missing the id');
  });

  it('checks choices', () => {
    expect(
      usageMessage(() => reader(['--log-level', 'loud']).choice('log-level', ['debug', 'info'] as const)),
    ).toBe('--log-level must be one of debug, info, got "loud"');
  });
});
