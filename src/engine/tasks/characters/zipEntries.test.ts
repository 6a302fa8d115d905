import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { forgeDeclaredSize } from './fixtures/forgeZip';
import { listZipEntries, readZipEntry, ZipError, ZipLimitError } from './zipEntries';

const MB = 1024 * 1024;

describe('bounded zip reading', () => {
  const text = new TextEncoder().encode('hello '.repeat(1000));
  const zip = zipSync({ 'dir/': new Uint8Array(0), 'dir/a.txt': text, 'b.bin': new Uint8Array([1, 2, 3]) }, { level: 6 });

  it('lists entries with their declared sizes and reads stored and deflated ones', () => {
    const entries = listZipEntries(zip, 10);
    expect(entries.map((e) => e.name)).toEqual(['dir/', 'dir/a.txt', 'b.bin']);
    const a = entries[1];
    expect(a).toMatchObject({ compression: 8, size: text.length });
    expect(a.compressedSize).toBeLessThan(text.length);
    expect(readZipEntry(zip, a, MB)).toEqual(text);
    const stored = zipSync({ 's.txt': text }, { level: 0 });
    expect(readZipEntry(stored, listZipEntries(stored, 1)[0], MB)).toEqual(text);
  });

  it('refuses more entries than allowed before listing them', () => {
    expect(() => listZipEntries(zip, 2)).toThrow(ZipLimitError);
    expect(() => listZipEntries(zip, 2)).toThrow(/declares 3 entries, more than the 2 accepted/);
    // A count stored modulo 65 536 (no zip64) is not believed: the records are counted.
    const wrapped = zip.slice();
    const view = new DataView(wrapped.buffer);
    const end = wrapped.length - 22;
    view.setUint16(end + 8, 1, true);
    view.setUint16(end + 10, 1, true);
    expect(() => listZipEntries(wrapped, 2)).toThrow(/holds more than the 2 entries accepted/);
    expect(listZipEntries(wrapped, 3)).toHaveLength(3);
  });

  it('refuses an entry by its declared size without inflating it', () => {
    const a = listZipEntries(zip, 10)[1];
    expect(() => readZipEntry(zip, a, 100)).toThrow(/dir\/a\.txt declares 6000 bytes, more than the 100 accepted/);
  });

  it('stops inflating an entry whose header understates its size, well before its real size', () => {
    // 64 MB of zeros deflate to ~64 kB (inflated in steps); 4 MB to ~4 kB (inflated in one call).
    const zeros64 = zipSync({ 'zeros.png': new Uint8Array(64 * MB) });
    const zeros4 = zipSync({ 'small.png': new Uint8Array(4 * MB) });
    for (const [zip, claim] of [
      [zeros64, 70_000],
      [zeros4, 5000],
    ] as const) {
      const liar = forgeDeclaredSize(zip, claim);
      const entry = listZipEntries(liar, 1)[0];
      expect(entry.size).toBe(claim);
      const before = process.memoryUsage().rss;
      const t0 = performance.now();
      expect(() => readZipEntry(liar, entry, MB)).toThrow(new RegExp(`${entry.name} inflates to more than the ${claim} bytes it declares`));
      expect(performance.now() - t0).toBeLessThan(1000);
      expect(process.memoryUsage().rss - before).toBeLessThan(16 * MB);
    }
    // A claim smaller than the compressed data itself is refused without inflating anything.
    const absurd = forgeDeclaredSize(zeros64, 1000);
    expect(() => readZipEntry(absurd, listZipEntries(absurd, 1)[0], MB)).toThrow(/zeros\.png declares 1000 bytes but holds \d+ compressed bytes/);
  });

  it('refuses an entry that inflates to fewer bytes than declared, and corrupt data', () => {
    const long = forgeDeclaredSize(zip, text.length + 10, 1);
    expect(() => readZipEntry(long, listZipEntries(long, 10)[1], MB)).toThrow(/inflates to 6000 bytes, not the 6010 it declares/);
    const e = listZipEntries(zip, 10)[1];
    const broken = zip.slice();
    broken.fill(0xff, e.headerOffset + 30 + 'dir/a.txt'.length, e.headerOffset + 30 + 'dir/a.txt'.length + 8);
    expect(() => readZipEntry(broken, e, MB)).toThrow(ZipError);
    expect(() => listZipEntries(new TextEncoder().encode('not a zip at all, only text'), 10)).toThrow(/no end of central directory/);
  });
});
