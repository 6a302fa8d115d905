import { inflateAtMost } from './boundedInflate';

/**
 * A zip reader that cannot be made to exhaust memory. It lists entries from the central directory
 * without inflating anything (so a caller can refuse an archive by its declared sizes and entry
 * count first) and inflates one entry at a time with a ceiling at the size the entry declares
 * (boundedInflate): a crafted header that understates its size is refused instead of being
 * inflated in full. fflate's `unzipSync` allocates the declared size up front and cannot report an
 * entry that inflates beyond it, hence this reader.
 */

/** A zip that is corrupt, crafted or unsupported; the message says which entry and why. */
export class ZipError extends Error {
  override name = 'ZipError';
}

/** A zip refused for what it declares (too many entries, an entry too large), before inflating. */
export class ZipLimitError extends ZipError {
  override name = 'ZipLimitError';
}

export interface ZipEntry {
  /** Path inside the zip, `/`-separated (folders end with `/`). */
  name: string;
  /** 0 stored, 8 deflated. */
  compression: number;
  compressedSize: number;
  /** The uncompressed size the central directory declares. */
  size: number;
  /** Offset of the entry's local header. */
  headerOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** The largest end-of-central-directory record: 22 bytes and a comment of up to 65 535. */
const EOCD_SEARCH = 22 + 0xffff;
/**
 * The entries of a zip as its central directory declares them. Refuses (ZipError) a zip that
 * declares more than `maxEntries` entries before reading any of them.
 */
export function listZipEntries(bytes: Uint8Array, maxEntries: number): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let e = bytes.length - 22; e >= Math.max(0, bytes.length - EOCD_SEARCH); e--)
    if (view.getUint32(e, true) === EOCD) {
      end = e;
      break;
    }
  if (end < 0) throw new ZipError('no end of central directory record');
  let count = view.getUint16(end + 10, true);
  let size = view.getUint32(end + 12, true);
  let offset = view.getUint32(end + 16, true);
  if (end >= 20 && view.getUint32(end - 20, true) === ZIP64_LOCATOR) {
    const z = safeNumber(view.getBigUint64(end - 12, true));
    if (z + 56 > bytes.length || view.getUint32(z, true) !== ZIP64_EOCD) throw new ZipError('broken zip64 end of central directory');
    count = safeNumber(view.getBigUint64(z + 32, true));
    size = safeNumber(view.getBigUint64(z + 40, true));
    offset = safeNumber(view.getBigUint64(z + 48, true));
  }
  if (count > maxEntries) throw new ZipLimitError(`it declares ${count} entries, more than the ${maxEntries} accepted`);
  // Records are read to the end of the directory, not to the count: writers without zip64 store
  // the count modulo 65 536, so a zip of 100 000 entries may claim 34 464.
  const last = offset + size;
  if (last > end) throw new ZipError('the central directory overruns the end record');
  const entries: ZipEntry[] = [];
  for (let i = 0; offset < last; i++) {
    if (i >= maxEntries) throw new ZipLimitError(`it holds more than the ${maxEntries} entries accepted`);
    if (offset + 46 > last || view.getUint32(offset, true) !== CENTRAL) throw new ZipError(`central directory entry #${i + 1} is missing`);
    const flags = view.getUint16(offset + 8, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    const next = offset + 46 + nameLength + extraLength + commentLength;
    if (next > last) throw new ZipError(`central directory entry #${i + 1} is truncated`);
    const rawName = bytes.subarray(offset + 46, offset + 46 + nameLength);
    // Bit 11: the name is UTF-8; otherwise it is read byte for byte (ASCII in Omniglot's zips).
    const name = flags & 0x800 ? new TextDecoder().decode(rawName) : String.fromCharCode(...rawName);
    const entry: ZipEntry = {
      name,
      compression: view.getUint16(offset + 10, true),
      compressedSize: view.getUint32(offset + 20, true),
      size: view.getUint32(offset + 24, true),
      headerOffset: view.getUint32(offset + 42, true),
    };
    readZip64Extra(view, offset + 46 + nameLength, extraLength, entry);
    entries.push(entry);
    offset = next;
  }
  return entries;
}

/** Sizes and offsets too large for 32 bits sit in the zip64 extra field (id 1), in this order. */
function readZip64Extra(view: DataView, at: number, length: number, entry: ZipEntry): void {
  const FULL = 0xffffffff;
  if (entry.size !== FULL && entry.compressedSize !== FULL && entry.headerOffset !== FULL) return;
  for (let p = at; p + 4 <= at + length; ) {
    const id = view.getUint16(p, true);
    const size = view.getUint16(p + 2, true);
    if (id === 1) {
      let q = p + 4;
      const next = (): number => {
        if (q + 8 > p + 4 + size) throw new ZipError(`${entry.name}: broken zip64 sizes`);
        const v = safeNumber(view.getBigUint64(q, true));
        q += 8;
        return v;
      };
      if (entry.size === FULL) entry.size = next();
      if (entry.compressedSize === FULL) entry.compressedSize = next();
      if (entry.headerOffset === FULL) entry.headerOffset = next();
      return;
    }
    p += 4 + size;
  }
  throw new ZipError(`${entry.name}: zip64 sizes are missing`);
}

function safeNumber(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipError('a size or offset is out of range');
  return Number(v);
}

/**
 * An entry's bytes. Refuses (ZipError) an entry that declares more than `maxSize` bytes without
 * inflating it, and one whose data inflates to more (or fewer) bytes than it declares, without
 * inflating much past the declared size.
 */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry, maxSize: number): Uint8Array {
  if (entry.size > maxSize) throw new ZipLimitError(`${entry.name} declares ${entry.size} bytes, more than the ${maxSize} accepted for one file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const h = entry.headerOffset;
  if (h + 30 > bytes.length || view.getUint32(h, true) !== LOCAL) throw new ZipError(`${entry.name}: local header is missing`);
  const start = h + 30 + view.getUint16(h + 26, true) + view.getUint16(h + 28, true);
  const data = bytes.subarray(start, start + entry.compressedSize);
  if (start + entry.compressedSize > bytes.length) throw new ZipError(`${entry.name}: data is truncated`);
  if (entry.compression === 0) {
    if (entry.compressedSize !== entry.size) throw new ZipError(`${entry.name}: stored size ${entry.compressedSize} differs from its declared ${entry.size}`);
    return data.slice();
  }
  if (entry.compression !== 8) throw new ZipError(`${entry.name}: unsupported compression method ${entry.compression}`);
  // Deflate stores incompressible data with 5 bytes of framing per 64 kB block: more compressed
  // bytes than that can only come from a header that understates the size.
  if (entry.compressedSize > entry.size + 5 * Math.ceil(entry.size / 0xffff + 1) + 16)
    throw new ZipError(`${entry.name} declares ${entry.size} bytes but holds ${entry.compressedSize} compressed bytes (a crafted or corrupt entry)`);
  let out: Uint8Array | null;
  try {
    out = inflateAtMost(data, entry.size, 'deflate');
  } catch (e) {
    throw new ZipError(`${entry.name}: corrupt compressed data (${(e as Error).message})`);
  }
  if (out === null) throw new ZipError(`${entry.name} inflates to more than the ${entry.size} bytes it declares (a crafted or corrupt entry)`);
  if (out.length !== entry.size) throw new ZipError(`${entry.name} inflates to ${out.length} bytes, not the ${entry.size} it declares`);
  return out;
}
