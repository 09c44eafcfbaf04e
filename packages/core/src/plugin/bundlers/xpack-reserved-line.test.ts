// rspack's reserved line, filled after the maps are made: no line after it may move, directives stay
// ahead of the snippet, and the id is of the file without what hogmaps put in.
import { describe, expect, test } from 'vitest';
import { computeChunkId } from '../../chunk-id/compute';
import { detectChunkId, findInjectedSnippet } from '../../chunk-id/detect';
import { createSnippet } from '../../inject/snippet';
import { POST_BANNER_PLACEHOLDER as PH } from './post-banner';
import { fillLine } from './xpack-reserved-line';

const RELEASE = '0190d7a1-1111-7222-8333-444455556666';
const ids = { chunkIdFor: (emptied: string) => computeChunkId(emptied), releaseId: RELEASE };

/** Every line after the first, with each line's columns: what a map made before the fill points at. */
function columnsAfterFirstLine(code: string): string[] {
  return code
    .split('\n')
    .slice(1)
    .map((line) => line.replace(/^ +/, (spaces) => '_'.repeat(spaces.length)));
}

describe('fillLine', () => {
  test('puts the snippet on the reserved line and the chunk-id comment at the end', () => {
    const code = `${PH}\n(self.chunk=self.chunk||[]).push([[1],{}]);`;
    const filled = fillLine(code, ids)!;
    const emptied = `\n(self.chunk=self.chunk||[]).push([[1],{}]);`;
    expect(filled.chunkId).toBe(computeChunkId(emptied));
    expect(filled.code).toBe(
      `${createSnippet(filled.chunkId!, RELEASE)}\n(self.chunk=self.chunk||[]).push([[1],{}]);\n//# chunkId=${filled.chunkId}`,
    );
    expect(detectChunkId(filled.code)).toBe(filled.chunkId);
  });

  test('moves a directive onto the line, ahead of the snippet, and blanks its old place', () => {
    const code = `${PH}\n"use strict";(self.chunk=self.chunk||[]).push([[1],{a(){throw new Error("x")}}]);\nfoo();`;
    const filled = fillLine(code, ids)!;
    const lines = filled.code.split('\n');
    expect(lines[0]).toBe(`"use strict";${createSnippet(filled.chunkId!, RELEASE)}`);
    expect(lines[1]).toBe(
      `${' '.repeat('"use strict";'.length)}(self.chunk=self.chunk||[]).push([[1],{a(){throw new Error("x")}}]);`,
    );
    // Every column after the reserved line is where it was.
    const before = code.split('\n').slice(1);
    expect(lines.slice(1, 3).map((line) => line.length)).toEqual(before.map((line) => line.length));
    expect(lines[1]!.indexOf('throw')).toBe(before[0]!.indexOf('throw'));
    // Still strict: the directive is the first statement, and the snippet is recognised.
    expect(() => new Function(filled.code.replace('foo();', 'undeclared = 1;'))()).toThrow(ReferenceError);
    expect(findInjectedSnippet(filled.code, filled.chunkId)).toBeDefined();
    expect(filled.chunkId).toBe(computeChunkId(code.slice(PH.length)));
  });

  test('several directives, with and without semicolons, keep their order', () => {
    const code = `${PH}\n'use client'\n"use strict";\nrun();`;
    const filled = fillLine(code, ids)!;
    expect(filled.code.split('\n')[0]).toBe(
      `'use client';"use strict";${createSnippet(filled.chunkId!, RELEASE)}`,
    );
    expect(columnsAfterFirstLine(filled.code).slice(0, 3)).toEqual([
      '____________',
      '_____________',
      'run();',
    ]);
  });

  test('a directive continued over a line break is left where it is, and the file gets no id', () => {
    const code = `${PH}\n"use \\\nstrict";run();`;
    expect(fillLine(code, ids)).toEqual({ code: code.slice(PH.length), chunkId: undefined });
  });

  test('a hashbang a banner put after the reserved line goes back to line 1', () => {
    const code = `${PH}\n#!/usr/bin/env node\n"use strict";run();`;
    const filled = fillLine(code, ids)!;
    const lines = filled.code.split('\n');
    expect(lines[0]).toBe('#!/usr/bin/env node');
    expect(lines[1]).toBe(`"use strict";${createSnippet(filled.chunkId!, RELEASE)}`);
    expect(lines[2]).toBe(`${' '.repeat(13)}run();`);
    expect(filled.chunkId).toBe(computeChunkId('#!/usr/bin/env node\n\n"use strict";run();'));
  });

  test('a reserved line after a hashbang is filled where it is', () => {
    const code = `#!/usr/bin/env node\n${PH}\nrun();`;
    const filled = fillLine(code, ids)!;
    expect(filled.code.split('\n').slice(0, 3)).toEqual([
      '#!/usr/bin/env node',
      createSnippet(filled.chunkId!, RELEASE),
      'run();',
    ]);
  });

  test('the chunk-id comment goes before the devtool’s sourceMappingURL comment', () => {
    const code = `${PH}\nrun();\n//# sourceMappingURL=main.js.map`;
    const filled = fillLine(code, ids)!;
    expect(filled.code.endsWith(`\n//# chunkId=${filled.chunkId}\n//# sourceMappingURL=main.js.map`)).toBe(
      true,
    );
    expect(detectChunkId(filled.code)).toBe(filled.chunkId);
  });

  test('an already injected file keeps its id, and an empty one gets none; the line goes empty', () => {
    const injected = `\nrun();\n//# chunkId=0e9b3c7a-5d1f-42a8-b6c4-e2d0f8a17593`;
    expect(fillLine(`${PH}${injected}`, ids)).toEqual({
      code: injected,
      chunkId: '0e9b3c7a-5d1f-42a8-b6c4-e2d0f8a17593',
    });
    expect(fillLine(`${PH}\n  \n`, ids)).toEqual({ code: '\n  \n', chunkId: undefined });
  });

  test('a file without the reserved line is not touched', () => {
    expect(fillLine('"use strict";run();', ids)).toBeUndefined();
    expect(fillLine(`run();${PH}\n`, ids)).toBeUndefined();
  });
});
