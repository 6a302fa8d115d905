import { describe, expect, it } from 'vitest';
import { en, fa, zh } from '../../i18n/messages';
import { PUBLISHED, publishedFor } from './methods';

describe('published numbers', () => {
  it('maps an N-way K-shot setting to its column and nothing else', () => {
    expect(publishedFor('protonet', 5, 1)).toBe(98.8);
    expect(publishedFor('protonet', 5, 5)).toBe(99.7);
    expect(publishedFor('protonet', 20, 1)).toBe(96.0);
    expect(publishedFor('protonet', 20, 5)).toBe(98.9);
    expect(publishedFor('relation', 20, 1)).toBe(97.6);
    expect(publishedFor('protonet', 10, 1)).toBeNull();
    expect(publishedFor('protonet', 5, 2)).toBeNull();
  });

  it("Fort's row: 5-way cells empty (his table could not be checked), 20-way kept, and the note says he reports both", () => {
    const fort = PUBLISHED.find((p) => p.method === 'gaussian-protonet')!;
    expect(fort.cells).toEqual([null, null, 97.0, 99.2]);
    expect(publishedFor('gaussian-protonet', 5, 1)).toBeNull();
    expect(fort.note).toBe('metricPublishedFort');
    expect(en.metricPublishedFort).toMatch(/5-way and 20-way/);
    expect(en.metricPublishedFort).toMatch(/unverified/);
    // The translations carry the same correction (both regimes are named).
    expect(zh.metricPublishedFort).toMatch(/5 类和 20 类/);
    expect(fa.metricPublishedFort).toMatch(/۵-راهه و ۲۰-راهه/);
  });

  it('every cell is a percentage and every method appears once', () => {
    const methods = PUBLISHED.map((p) => p.method);
    expect(new Set(methods).size).toBe(methods.length);
    for (const p of PUBLISHED)
      for (const c of p.cells)
        if (c !== null) {
          expect(c).toBeGreaterThan(50);
          expect(c).toBeLessThanOrEqual(100);
        }
  });
});
