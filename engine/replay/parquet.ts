/**
 * Parquet input through hyparquet (pure JavaScript). Codecs: uncompressed and Snappy (built into
 * hyparquet), gzip and Brotli (node:zlib); zstd where this Node.js has it (≥ 22.15). The columns are
 * read whole (column chunks concatenated) and handed on as a {@link Columnar} table.
 */
import * as zlib from 'node:zlib';
import { parquetMetadata, parquetRead, parquetSchema, type Compressors } from 'hyparquet';
import type { Columnar } from './columnar.ts';

/** True for Parquet bytes (magic `PAR1` at both ends). */
export function isParquet(buf: Uint8Array): boolean {
  const n = buf.length;
  return n >= 8 && buf[0] === 0x50 && buf[1] === 0x41 && buf[2] === 0x52 && buf[3] === 0x31 && buf[n - 4] === 0x50 && buf[n - 3] === 0x41 && buf[n - 2] === 0x52 && buf[n - 1] === 0x31;
}

const compressors: Compressors = {
  GZIP: (input) => zlib.gunzipSync(input),
  BROTLI: (input) => zlib.brotliDecompressSync(input),
};
const zstd = (zlib as unknown as { zstdDecompressSync?: (b: Uint8Array) => Uint8Array }).zstdDecompressSync;
if (zstd) compressors.ZSTD = (input) => zstd(input);

type Chunk = { rowStart: number; data: ArrayLike<unknown> };

export async function readParquet(buf: Buffer): Promise<Columnar> {
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  const metadata = parquetMetadata(ab);
  const names = parquetSchema(metadata).children.map((c) => c.element.name);
  const nRows = Number(metadata.num_rows);
  const chunks = new Map<string, Chunk[]>(names.map((n) => [n, []]));
  await parquetRead({
    file: ab,
    metadata,
    compressors,
    onChunk: (c) => chunks.get(c.columnName)?.push({ rowStart: c.rowStart, data: c.columnData as ArrayLike<unknown> }),
  });
  const cols = names.map((n) => {
    const cs = (chunks.get(n) ?? []).sort((a, b) => a.rowStart - b.rowStart);
    if (cs.length === 1 && cs[0].rowStart === 0) return cs[0].data;
    const out = new Array<unknown>(nRows);
    for (const c of cs) for (let i = 0; i < c.data.length && c.rowStart + i < nRows; i++) out[c.rowStart + i] = c.data[i];
    return out;
  });
  return { headers: names, nRows, get: (c, r) => cols[c][r] };
}
