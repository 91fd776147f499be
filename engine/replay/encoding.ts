/**
 * Text encodings of input files. Chinese claims extracts come as UTF-8 (with or without a byte-order
 * mark) or as GBK / GB18030 (what Excel and many hospital systems write on Chinese Windows).
 *
 * Detection, in order: a byte-order mark (UTF-8, UTF-16LE/BE) decides; else the bytes are valid
 * UTF-8 → UTF-8; else GB18030 (a superset of GBK and GB2312). Pure ASCII is valid UTF-8 and reads
 * the same in every encoding. `--encoding` overrides the detection.
 *
 * The parsers work on UTF-8 bytes, so other encodings are converted in chunks (a file larger than
 * V8's longest string, ~512 MB, is never decoded into one string). Gzip-compressed files (magic
 * 1f 8b) are decompressed first, whatever their name.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { gunzipSync } from 'node:zlib';

export const ENCODINGS = ['utf-8', 'gb18030', 'utf-16le', 'utf-16be'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** Names a user may give to `--encoding`, to the encoding used. GBK and GB2312 are read as GB18030 (their superset). */
const ALIASES: Record<string, Encoding> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'utf-8-sig': 'utf-8',
  gbk: 'gb18030',
  gb18030: 'gb18030',
  gb2312: 'gb18030',
  cp936: 'gb18030',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
  'utf-16': 'utf-16le',
};

/** The encoding a user-given name stands for, or undefined for a name we do not read. */
export function encodingFromName(name: string): Encoding | undefined {
  return ALIASES[name.trim().toLowerCase()];
}

export const ENCODING_NAMES = Object.keys(ALIASES);

export interface Detected {
  encoding: Encoding;
  /** Bytes of byte-order mark at the start (skipped). */
  bomLength: number;
  /** How it was decided: 'bom', 'valid utf-8', 'invalid utf-8 → gb18030', 'flag'. */
  how: string;
}

/** Detect the encoding of `buf` (see the module comment). */
export function detectEncoding(buf: Uint8Array): Detected {
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3, how: 'byte-order mark' };
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2, how: 'byte-order mark' };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2, how: 'byte-order mark' };
  if (isUtf8(buf)) return { encoding: 'utf-8', bomLength: 0, how: 'valid UTF-8' };
  return { encoding: 'gb18030', bomLength: 0, how: 'not valid UTF-8, read as GB18030/GBK' };
}

/** True for gzip-compressed bytes. */
export function isGzip(buf: Uint8Array): boolean {
  return buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;
}

/** Decompress gzip bytes (or return them as they are). */
export function maybeGunzip(buf: Buffer): { bytes: Buffer; gzip: boolean } {
  return isGzip(buf) ? { bytes: gunzipSync(buf), gzip: true } : { bytes: buf, gzip: false };
}

const CHUNK = 16 * 1024 * 1024;

/**
 * The text of `buf` as UTF-8 bytes, without a byte-order mark: `buf` itself (a view) when it is
 * UTF-8 already, else converted chunk by chunk with a streaming TextDecoder.
 */
export function toUtf8(buf: Buffer, enc: Encoding, bomLength = 0): Buffer {
  if (enc === 'utf-8') return bomLength ? buf.subarray(bomLength) : buf;
  const dec = new TextDecoder(enc);
  const parts: Buffer[] = [];
  let total = 0;
  for (let i = bomLength; i < buf.length; i += CHUNK) {
    const end = Math.min(buf.length, i + CHUNK);
    const s = dec.decode(buf.subarray(i, end), { stream: end < buf.length });
    const b = Buffer.from(s, 'utf8');
    parts.push(b);
    total += b.length;
  }
  const tail = dec.decode();
  if (tail) {
    const b = Buffer.from(tail, 'utf8');
    parts.push(b);
    total += b.length;
  }
  return parts.length === 1 ? parts[0] : Buffer.concat(parts, total);
}

let gbTable: Map<number, number> | null = null;

/**
 * Encode text as GB18030 (two-byte GBK subset plus ASCII): for writing GBK test fixtures and the
 * demonstration data's GBK copy. The table is the inverse of the platform's GB18030 decoder over
 * the two-byte range, so it agrees with what `toUtf8` reads back. Characters outside GBK throw.
 * Not iconv-lite (which the results' CSV writer uses): its GB18030 table is the 2005 edition's, and
 * 36 code points (U+9FB4–U+9FBB and private-use ones) map differently from the platform's 2022
 * decoder that reads these files back, so a fixture written with it would not read back equal.
 */
export function encodeGbk(text: string): Buffer {
  if (!gbTable) {
    gbTable = new Map();
    const dec = new TextDecoder('gb18030', { fatal: false });
    const pair = new Uint8Array(2);
    for (let a = 0x81; a <= 0xfe; a++) {
      for (let b = 0x40; b <= 0xfe; b++) {
        if (b === 0x7f) continue;
        pair[0] = a;
        pair[1] = b;
        const s = dec.decode(pair);
        if (s.length === 1 && s !== '\ufffd' && !gbTable.has(s.charCodeAt(0))) gbTable.set(s.charCodeAt(0), (a << 8) | b);
      }
    }
  }
  const out = Buffer.alloc(text.length * 2);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) out[n++] = c;
    else {
      const g = gbTable.get(c);
      if (g === undefined) throw new RangeError(`character "${text[i]}" (U+${c.toString(16).toUpperCase()}) has no GBK encoding`);
      out[n++] = g >> 8;
      out[n++] = g & 0xff;
    }
  }
  return out.subarray(0, n);
}

/**
 * Call `f(start, end, line)` for every line of `buf` from byte `from`: lines end with LF, CRLF or a
 * lone CR, and are numbered from 1 as the CSV reader numbers them (csv.ts). The line's end excludes
 * the line break. (GB18030 and UTF-8 never use the bytes of LF or CR inside a character, so the raw
 * bytes' lines are the decoded text's lines.)
 */
export function forEachLine(buf: Uint8Array, from: number, f: (start: number, end: number, line: number) => void): void {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  let nextCr = b.indexOf(13, from);
  let line = 1;
  let pos = from;
  while (pos < b.length) {
    let lf = b.indexOf(10, pos);
    if (lf < 0) lf = b.length;
    if (nextCr >= 0 && nextCr < pos) nextCr = b.indexOf(13, pos);
    if (nextCr >= 0 && nextCr < lf) {
      f(pos, nextCr, line);
      pos = b[nextCr + 1] === 10 ? nextCr + 2 : nextCr + 1;
    } else {
      f(pos, lf, line);
      pos = lf + 1;
    }
    line++;
  }
}

/**
 * Text a Chinese extract holds: ASCII, CJK ideographs (with extension A), CJK and general
 * punctuation, full-width forms and the middle dot (in names of ethnic minorities); a line counts as
 * UTF-8 Chinese when it holds at least one ideograph and nothing else. A line of GBK bytes that
 * happens to be valid UTF-8 mostly decodes to Latin, Greek or Cyrillic letters and the like, not to
 * these; docs/reliability.md §Encodings.
 */
const CHINESE_TEXT = /^[\x00-\x7f\u00b7\u2000-\u206f\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]*$/;
const IDEOGRAPH = /[\u3400-\u4dbf\u4e00-\u9fff]/;
const utf8Decoder = new TextDecoder('utf-8');

/** True when bytes [s, e) are valid UTF-8 with some non-ASCII text that reads as Chinese. */
export function isUtf8Chinese(buf: Uint8Array, s: number, e: number): boolean {
  const line = buf.subarray(s, e);
  return !isAscii(line) && isUtf8(line) && readsAsUtf8Chinese(line);
}

/**
 * Valid UTF-8 `line` reads as Chinese text — and not as GBK characters whose second byte is an ASCII
 * letter or sign (0x40–0x7E, GBK's extended regions), which is how a GBK line can be valid UTF-8 by
 * accident (浏僇 is E4 AF 83 4A: UTF-8 䯃 then J). UTF-8 Chinese followed by such a letter is not
 * counted either; a mixed file has other UTF-8 lines.
 */
function readsAsUtf8Chinese(line: Uint8Array): boolean {
  for (let i = 0; i + 1 < line.length; i++) if (line[i] >= 0x80 && line[i + 1] >= 0x40 && line[i + 1] <= 0x7e) return false;
  const t = utf8Decoder.decode(line);
  return IDEOGRAPH.test(t) && CHINESE_TEXT.test(t); // at least one ideograph: GBK 路 (C2 B7) is UTF-8 ·
}

export interface LineEncodings {
  /** The first lines that are UTF-8 Chinese text, and how many in all. */
  utf8: number[];
  utf8Count: number;
  /** The first lines that are not valid UTF-8 (GBK/GB18030 when they decode as such), and how many. */
  other: number[];
  otherCount: number;
}

/** Which lines of `buf` (from byte `from`) are UTF-8 and which are not (`keep` line numbers of each). */
export function lineEncodings(buf: Uint8Array, from: number, keep = 5): LineEncodings {
  const r: LineEncodings = { utf8: [], utf8Count: 0, other: [], otherCount: 0 };
  forEachLine(buf, from, (s, e, line) => {
    const l = buf.subarray(s, e);
    if (isAscii(l)) return;
    if (!isUtf8(l)) {
      if (r.otherCount++ < keep) r.other.push(line);
    } else if (readsAsUtf8Chinese(l)) {
      if (r.utf8Count++ < keep) r.utf8.push(line);
    }
  });
  return r;
}
