/**
 * Parquet input through hyparquet (pure JavaScript). Codecs: uncompressed and Snappy (built into
 * hyparquet), gzip and Brotli (node:zlib); zstd where this Node.js has it (≥ 22.15). The columns are
 * read whole (column chunks concatenated) and handed on as a {@link Columnar} table.
 */
import * as zlib from 'node:zlib';
import { parquetMetadata, parquetRead, parquetSchema, type Compressors, type FileMetaData } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { getPhysicalColumns } from 'hyparquet/src/schema.js';
import type { Columnar } from './columnar.ts';

/** True for Parquet bytes (magic `PAR1` at both ends). */
export function isParquet(buf: Uint8Array): boolean {
  const n = buf.length;
  return n >= 8 && buf[0] === 0x50 && buf[1] === 0x41 && buf[2] === 0x52 && buf[3] === 0x31 && buf[n - 4] === 0x50 && buf[n - 3] === 0x41 && buf[n - 2] === 0x52 && buf[n - 1] === 0x31;
}

/** True for bytes that start as Parquet but lack the closing magic: a truncated Parquet file (not CSV). */
export function looksTruncatedParquet(buf: Uint8Array): boolean {
  return buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x41 && buf[2] === 0x52 && buf[3] === 0x31 && !isParquet(buf);
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
  const schema = parquetSchema(metadata);
  const names = schema.children.map((c) => c.element.name);
  const nRows = Number(metadata.num_rows);
  checkChunks(ab, metadata, getPhysicalColumns(schema), nRows);
  const chunks = new Map<string, Chunk[]>(names.map((n) => [n, []]));
  await parquetRead({
    file: ab,
    metadata,
    compressors,
    onChunk: (c) => chunks.get(c.columnName)?.push({ rowStart: c.rowStart, data: c.columnData as ArrayLike<unknown> }),
  });
  const cols = names.map((n) => {
    const cs = (chunks.get(n) ?? []).sort((a, b) => a.rowStart - b.rowStart);
    const got = cs.reduce((a, c) => a + c.data.length, 0);
    if (got !== nRows) throw new Error(`column "${n}" holds ${got} values but the footer says ${nRows} rows: the file is damaged`);
    if (cs.length === 1 && cs[0].rowStart === 0) return cs[0].data;
    const out = new Array<unknown>(nRows);
    for (const c of cs) for (let i = 0; i < c.data.length && c.rowStart + i < nRows; i++) out[c.rowStart + i] = c.data[i];
    return out;
  });
  return { headers: names, nRows, get: (c, r) => cols[c][r] };
}

/**
 * What hyparquet does not check on a damaged file, checked before reading it — otherwise the
 * reader can loop forever on a page header it misreads, or fail inside a column read that nothing
 * awaits (an unhandled rejection that ends the process): the row groups add up to the file's rows;
 * each holds one chunk per leaf column of the schema; each chunk lies inside the file; its page
 * headers parse and step forward through it.
 */
function checkChunks(ab: ArrayBuffer, metadata: FileMetaData, leaves: string[], nRows: number): void {
  const groups = metadata.row_groups;
  const sum = groups.reduce((a, g) => a + Number(g.num_rows), 0);
  if (!Number.isSafeInteger(nRows) || nRows < 0 || sum !== nRows) throw new Error(`the row groups hold ${sum} rows but the footer says ${nRows}: the file is damaged`);
  groups.forEach((g, k) => {
    const where = `row group ${k + 1}`;
    const seen = new Set<string>();
    for (const chunk of g.columns) {
      const m = chunk.meta_data;
      const path = m?.path_in_schema?.join('.') ?? '';
      if (!m || !leaves.includes(path) || seen.has(path)) throw new Error(`${where}: a column chunk "${path}" that is not a column of the schema, or is repeated: the file is damaged`);
      seen.add(path);
      const start = Number(m.dictionary_page_offset || m.data_page_offset);
      const end = start + Number(m.total_compressed_size);
      if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 4 && start < end && end <= ab.byteLength)) {
        throw new Error(`${where}, column "${path}": its bytes (${start} to ${end}) are not inside the file (${ab.byteLength} bytes): the file is damaged`);
      }
      const reader = { view: new DataView(ab, start, end - start), offset: 0 };
      while (reader.offset < reader.view.byteLength - 1) {
        const at = reader.offset;
        const h = parquetHeader(reader);
        const size = h.compressed_page_size;
        // sizes and counts: whole, not negative; a page within its chunk, holding no more values than it
        const v1 = h.data_page_header;
        const v2 = h.data_page_header_v2;
        const counts =
          h.type === 'DATA_PAGE' ? [v1?.num_values]
          : h.type === 'DATA_PAGE_V2' ? [v2?.num_values, v2?.num_nulls, v2?.num_rows, v2?.definition_levels_byte_length, v2?.repetition_levels_byte_length]
          : h.type === 'DICTIONARY_PAGE' ? [h.dictionary_page_header?.num_values]
          : h.type === 'INDEX_PAGE' ? [] : [NaN];
        const sound =
          [size, h.uncompressed_page_size, ...counts].every((x) => Number.isSafeInteger(x) && (x as number) >= 0) &&
          reader.offset + size <= reader.view.byteLength &&
          (h.type === 'DICTIONARY_PAGE' || (counts[0] ?? 0) <= Number(m.num_values)) &&
          (!v2 || (v2.num_rows <= Number(g.num_rows) && v2.definition_levels_byte_length + v2.repetition_levels_byte_length <= size));
        if (!sound) throw new Error(`${where}, column "${path}": the page header at byte ${start + at} is damaged`);
        reader.offset += size;
      }
    }
    if (seen.size !== leaves.length) throw new Error(`${where}: ${leaves.length - seen.size} of the ${leaves.length} columns have no data: the file is damaged`);
  });
}
