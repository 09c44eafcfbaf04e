import { describe, expectTypeOf, it } from 'vitest';
import type { LogLevel } from '../logger';
import { resolveOptions } from './resolve';
import type { Compression, FilePattern, Options, ReleaseMode, ResolvedOptions, UploadThread } from './types';

describe('Options type', () => {
  it('makes every option optional', () => {
    expectTypeOf<Record<never, never>>().toExtend<Options>();
    expectTypeOf<Required<Options>>().toExtend<Options>();
  });

  it('accepts the shapes of PostHog plugin configs', () => {
    expectTypeOf({
      personalApiKey: 'phx_x',
      envId: '1',
      host: 'https://eu.i.posthog.com',
      logLevel: 'debug' as const,
      cliBinaryPath: '/bin/posthog-cli',
      sourcemaps: {
        enabled: true,
        project: 'web',
        version: '1',
        build: 3,
        deleteAfterUpload: false,
        batchSize: 10,
      },
    }).toExtend<Options>();
    expectTypeOf<Options['projectId']>().toEqualTypeOf<string | number | undefined>();
    expectTypeOf<NonNullable<Options['sourcemaps']>['releaseMode']>().toEqualTypeOf<
      ReleaseMode | undefined
    >();
  });

  it('types the polymorphic options', () => {
    expectTypeOf<Options['include']>().toEqualTypeOf<FilePattern | readonly FilePattern[] | undefined>();
    expectTypeOf<FilePattern>().toEqualTypeOf<string | RegExp | ((fileName: string) => boolean)>();
    expectTypeOf<Options['manifest']>().toEqualTypeOf<boolean | string | undefined>();
    expectTypeOf<Options['proxy']>().toEqualTypeOf<string | false | undefined>();
    expectTypeOf<Options['logLevel']>().toEqualTypeOf<LogLevel | undefined>();
    expectTypeOf<Options['compression']>().toEqualTypeOf<Compression | undefined>();
    expectTypeOf<UploadThread>().toEqualTypeOf<'auto' | 'worker' | 'main'>();
    expectTypeOf<Options['uploadThread']>().toEqualTypeOf<UploadThread | undefined>();
    // @ts-expect-error: a mistyped release mode is a compile error
    expectTypeOf({ sourcemaps: { releaseMode: 'symbolset' } }).toExtend<Options>();
  });
});

describe('ResolvedOptions type', () => {
  it('is what resolveOptions returns', () => {
    expectTypeOf(resolveOptions).returns.toEqualTypeOf<ResolvedOptions>();
    expectTypeOf(resolveOptions).parameter(0).toEqualTypeOf<Options | undefined>();
  });

  it('has no optional field', () => {
    expectTypeOf<ResolvedOptions>().toEqualTypeOf<Required<ResolvedOptions>>();
    expectTypeOf<ResolvedOptions['sourcemaps']>().toEqualTypeOf<Required<ResolvedOptions['sourcemaps']>>();
    expectTypeOf<ResolvedOptions['release']>().toEqualTypeOf<Required<ResolvedOptions['release']>>();
  });

  it('exposes resolved shapes', () => {
    expectTypeOf<ResolvedOptions['credentials']>().toEqualTypeOf<
      { readonly apiKey: string; readonly projectId: string } | undefined
    >();
    expectTypeOf<ResolvedOptions['filter']>().toEqualTypeOf<(fileName: string) => boolean>();
    expectTypeOf<ResolvedOptions['manifest']>().toEqualTypeOf<{
      readonly enabled: boolean;
      readonly fileName: string;
    }>();
    expectTypeOf<ResolvedOptions['release']['name']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ResolvedOptions['proxy']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ResolvedOptions['timeout']>().toEqualTypeOf<number>();
  });
});
