import { describe, expect, it } from 'vitest';
import { SINE_LAB_SCHEMA } from '../engine/algorithms/sineConfig';
import { defaultsOf, readLink } from '../engine/settings/schema';
import { formatHash, MAX_LINK_SETTINGS, parseHash, UNREAD_VALUE } from './route';

describe('hash routes', () => {
  it('reads the lab and its settings, and writes them back the same', () => {
    const r = parseHash('#/sine?k=20&alpha=0.05');
    expect(r.path).toBe('/sine');
    expect(readLink(SINE_LAB_SCHEMA, r.params)).toMatchObject({ settings: { k: 20, alpha: 0.05 }, invalid: [] });
    expect(formatHash(r.path, r.params)).toBe('#/sine?k=20&alpha=0.05');
    expect(parseHash('').path).toBe('/');
  });

  it('does not use the values of a link whose settings are over 8 kB: each named setting takes its default and is reported', () => {
    const hash = `#/sine?k=20&alpha=0.05&junk=${'x'.repeat(100 * 1024)}`;
    const r = parseHash(hash);
    expect(r.path).toBe('/sine');
    expect([...r.params.keys()]).toEqual(['k', 'alpha', 'junk']);
    expect(r.params.get('junk')).toBe(UNREAD_VALUE);
    const { settings, invalid } = readLink(SINE_LAB_SCHEMA, r.params);
    expect(settings).toEqual(defaultsOf(SINE_LAB_SCHEMA));
    expect(invalid).toEqual(['k', 'alpha']);
    // At the limit, a link is still read.
    const atLimit = `k=20&pad=${'x'.repeat(MAX_LINK_SETTINGS - 9)}`;
    expect(atLimit.length).toBe(MAX_LINK_SETTINGS);
    expect(parseHash(`#/sine?${atLimit}`).params.get('k')).toBe('20');
  });

  it('a too-long link cannot name more settings than the schema has, however many it repeats', () => {
    const r = parseHash(`#/sine?${'k=1&'.repeat(30_000)}`);
    expect([...r.params.keys()]).toEqual(['k']);
    expect(readLink(SINE_LAB_SCHEMA, r.params).invalid).toEqual(['k']);
  });
});
