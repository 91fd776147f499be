/**
 * Mixed encodings (docs/reliability.md §Encodings): lines of UTF-8 Chinese and lines of GBK in one
 * file are told apart line by line, so a file concatenated from two systems is refused instead of
 * being re-decoded as one encoding; a file in one encoding is never taken for a mixed one.
 */
import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeGbk, lineEncodings } from '../../engine/replay/encoding.ts';

/** Characters of place names, facility names and conditions in bureau extracts. */
const CHARS = [...'村卫生室示范县人民路高血压糖尿病乡镇中心医院社区服务站东西南北新城关街道一二三四五六七八九十张王李赵刘陈杨黄吴周徐孙马朱胡郭何林罗男女是否城镇农村签约门诊住院'];
const word = fc.array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 6 }).map((a) => a.join(''));
const row = fc.tuple(fc.nat(99999), word, word).map(([n, a, b]) => `P${n},${a},${b},12.50`);

describe('lines of UTF-8 and lines of GBK', () => {
  it('a GBK file is never taken for a mixed one; a UTF-8 line among GBK lines always is found', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(row, fc.boolean()), { minLength: 1, maxLength: 40 }), (rows) => {
        const bytes = Buffer.concat(rows.map(([r, utf8]) => (utf8 ? Buffer.from(r + '\n', 'utf8') : encodeGbk(r + '\n'))));
        const le = lineEncodings(bytes, 0, 1000);
        expect(le.utf8).toEqual(rows.flatMap(([, utf8], i) => (utf8 ? [i + 1] : [])));
        // a GBK line is "not UTF-8" — unless its bytes happen to be valid UTF-8 (院医: D4 BA … reads
        // as Armenian), then it is neither: never UTF-8 Chinese
        expect(le.other).toEqual(rows.flatMap(([r, utf8], i) => (!utf8 && !isUtf8(encodeGbk(r)) ? [i + 1] : [])));
      }),
      { numRuns: 300 },
    );
  });

  it('line numbers count LF, CRLF and a lone CR as the CSV reader does; ASCII lines are neither', () => {
    const bytes = Buffer.concat([Buffer.from('id,name\r\n'), Buffer.from('1,村卫生室\r', 'utf8'), Buffer.from('2,abc\n'), encodeGbk('3,村卫生室\n'), Buffer.from('4,x')]);
    expect(lineEncodings(bytes, 0)).toEqual({ utf8: [2], utf8Count: 1, other: [4], otherCount: 1 });
  });
});
