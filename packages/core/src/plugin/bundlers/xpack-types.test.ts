import type { Compiler as RspackCompiler } from '@rspack/core';
import { describe, expectTypeOf, it } from 'vitest';
import type { Compiler as WebpackCompiler } from 'webpack';
import type { XpackCompiler } from './xpack-types';

// The structural compiler type must accept both bundlers' real compilers, so one code path serves both
// (checked by `tsc`: an assignment that does not fit fails the typecheck).
describe('XpackCompiler', () => {
  it('accepts a webpack Compiler', () => {
    const accept = (compiler: WebpackCompiler): XpackCompiler => compiler;
    expectTypeOf(accept).returns.toEqualTypeOf<XpackCompiler>();
  });

  it('accepts an rspack Compiler', () => {
    const accept = (compiler: RspackCompiler): XpackCompiler => compiler;
    expectTypeOf(accept).returns.toEqualTypeOf<XpackCompiler>();
  });
});
