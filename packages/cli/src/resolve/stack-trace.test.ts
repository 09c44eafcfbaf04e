import { describe, expect, it } from 'vitest';
import { framesFromJson, parseStackTrace } from './stack-trace';

describe('parseStackTrace', () => {
  it('parses the V8 frame shapes and keeps other lines as text', () => {
    const lines = parseStackTrace(
      [
        'TypeError: boom',
        '    at formatTotal (https://shop.example/assets/index-abc.js:1:2048)',
        '    at async Promise.all (index 0)',
        '    at new Cart (file:///app/dist/cart.js:3:14)',
        '    at https://shop.example:8080/assets/vendor.js?v=2:10:5',
        '    at Array.forEach (<anonymous>)',
        '    at eval (eval at run (file:///app/dist/a.js:1:1), <anonymous>:1:1)',
      ].join('\n'),
    );
    expect(lines[0]).toEqual({ text: 'TypeError: boom' });
    expect(lines[1]!.frame).toMatchObject({
      filename: 'https://shop.example/assets/index-abc.js',
      function: 'formatTotal',
      lineno: 1,
      colno: 2048,
      platform: 'web:javascript',
    });
    expect(lines[3]!.frame).toMatchObject({
      function: 'new Cart',
      filename: 'file:///app/dist/cart.js',
      lineno: 3,
    });
    expect(lines[4]!.frame).toMatchObject({
      function: '?',
      filename: 'https://shop.example:8080/assets/vendor.js?v=2',
      lineno: 10,
      colno: 5,
    });
    expect(lines[5]!.frame).toMatchObject({ function: 'Array.forEach', filename: '<anonymous>' });
    expect(lines[5]!.frame!.lineno).toBeUndefined();
    expect(lines[6]!.frame).toBeUndefined();
  });

  it('parses Firefox and Safari frames', () => {
    const [line] = parseStackTrace('formatTotal@https://shop.example/index.js:1:99');
    expect(line!.frame).toMatchObject({
      function: 'formatTotal',
      filename: 'https://shop.example/index.js',
      colno: 99,
    });
  });
});

describe('framesFromJson', () => {
  const frame = { filename: 'a.js', lineno: 1, colno: 2, chunk_id: 'x' };

  it('accepts a list, {frames}, an $exception event and its $exception_list', () => {
    expect(framesFromJson(JSON.stringify([frame]))).toEqual([expect.objectContaining(frame)]);
    expect(framesFromJson(JSON.stringify({ frames: [frame] }))).toHaveLength(1);
    const list = [{ type: 'Error', stacktrace: { frames: [frame, frame] } }];
    expect(framesFromJson(JSON.stringify({ properties: { $exception_list: list } }))).toHaveLength(2);
    expect(framesFromJson(JSON.stringify(list))).toHaveLength(2);
  });

  it('returns undefined for text that is not JSON', () => {
    expect(framesFromJson('Error: x\n    at a (b.js:1:2)')).toBeUndefined();
    expect(framesFromJson('{ nope')).toBeUndefined();
  });
});
