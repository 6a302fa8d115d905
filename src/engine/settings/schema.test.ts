import { describe, expect, it } from 'vitest';
import { cliSpec, cliUsage, defaultsOf, defineSettings, linkFields, readCli, readLink, SettingError, trainingKey, writeLink, type SettingsOf } from './schema';

const SCHEMA = defineSettings({
  method: { kind: 'choice', choices: ['a', 'b'], default: 'a', url: 'm', cli: false, help: 'h', retrain: true },
  k: { kind: 'number', default: 5, min: 1, max: 10, integer: true, url: 'k', cli: 'k', help: 'h', retrain: true },
  lr: { kind: 'number', default: 0.25, min: 0, max: 1, round: 2, url: 'lr', cli: 'learning-rate', help: 'h', retrain: false },
  scale: { kind: 'boolean', default: true, url: 'scale', cli: 'no-scale', cliNegates: true, help: 'h', retrain: true, only: ['b'] },
  algs: { kind: 'list', choices: ['x', 'y', 'z'], default: ['x', 'y'], url: 'algs', cli: false, help: 'h', retrain: false },
});
type S = SettingsOf<typeof SCHEMA>;

describe('settings schema', () => {
  it('derives defaults with exact types', () => {
    const d: S = defaultsOf(SCHEMA);
    expect(d).toEqual({ method: 'a', k: 5, lr: 0.25, scale: true, algs: ['x', 'y'] });
    // A fresh list each time: editing one settings object never edits the defaults.
    expect(defaultsOf(SCHEMA).algs).not.toBe(SCHEMA.algs.default);
  });

  it('reads a link, naming each invalid value and keeping the default for it', () => {
    const { settings, invalid } = readLink(SCHEMA, new URLSearchParams('m=b&k=11&lr=0.5&scale=0&algs=z,q'));
    expect(settings).toEqual({ method: 'b', k: 5, lr: 0.5, scale: false, algs: ['x', 'y'] });
    expect(invalid).toEqual(['k', 'algs']);
    expect(readLink(SCHEMA, new URLSearchParams('k=2.5&lr=&scale=yes')).invalid).toEqual(['k', 'lr', 'scale']);
  });

  it('writes a link that reads back to the same settings', () => {
    const s: S = { method: 'b', k: 7, lr: 0.123456, scale: false, algs: ['z'] };
    const p = writeLink(SCHEMA, s);
    expect(p.toString()).toBe('m=b&k=7&lr=0.12&scale=0&algs=z');
    expect(readLink(SCHEMA, p).settings).toEqual({ ...s, lr: 0.12 });
  });

  it('keys training on the retraining fields that apply to the subject', () => {
    const s = defaultsOf(SCHEMA);
    expect(trainingKey(SCHEMA, s, 'a')).toBe(trainingKey(SCHEMA, { ...s, lr: 0.9, scale: false }, 'a'));
    expect(trainingKey(SCHEMA, s, 'b')).not.toBe(trainingKey(SCHEMA, { ...s, scale: false }, 'b'));
    expect(trainingKey(SCHEMA, s, 'a')).not.toBe(trainingKey(SCHEMA, { ...s, k: 6 }, 'a'));
  });

  it('derives CLI flags, validates them and refuses those of other subjects', () => {
    expect(cliSpec(SCHEMA)).toEqual({ k: { type: 'string' }, 'learning-rate': { type: 'string' }, 'no-scale': { type: 'boolean' } });
    const base = defaultsOf(SCHEMA);
    expect(readCli(SCHEMA, { k: '3', 'no-scale': true }, base, 'b')).toMatchObject({ k: 3, scale: false });
    expect(() => readCli(SCHEMA, { k: '0' }, base, 'a')).toThrow(new SettingError('--k must be a whole number from 1 to 10; got "0"'));
    expect(() => readCli(SCHEMA, { 'no-scale': true }, base, 'a')).toThrow('--no-scale only applies to b');
    expect(cliUsage(SCHEMA)).toBe('[--k N] [--learning-rate N] [--no-scale] (b)');
    expect(cliUsage(SCHEMA, { width: 30, indent: '  ' })).toBe('  [--k N] [--learning-rate N]\n  [--no-scale] (b)');
  });

  it('refuses a declaration whose default is outside its own range', () => {
    expect(() => defineSettings({ k: { kind: 'number', default: 0, min: 1, max: 3, url: 'k', cli: 'k', help: 'h', retrain: true } })).toThrow('default 0');
  });

  it('lets the CLI accept a wider range than links, and keeps the extra config fields of its base', () => {
    const wide = defineSettings({
      k: { kind: 'number', default: 5, min: 1, max: 10, integer: true, cliRange: [1, 1000], url: 'k', cli: 'k', help: 'h', retrain: true },
      hidden: { kind: 'number', default: 40, min: 1, max: 100, integer: true, url: false, cli: 'hidden', help: 'h', retrain: true },
    });
    expect(readLink(wide, new URLSearchParams('k=500')).invalid).toEqual(['k']);
    const base = { ...defaultsOf(wide), layers: [40, 40] };
    expect(readCli(wide, { k: '500' }, base)).toEqual({ k: 500, hidden: 40, layers: [40, 40] });
    expect(() => readCli(wide, { k: '1001' }, base)).toThrow('--k must be a whole number from 1 to 1000; got "1001"');
    // A link carries only the fields with a link name.
    const link = linkFields(wide);
    expect(Object.keys(link)).toEqual(['k']);
    expect(readLink(link, new URLSearchParams('k=3&hidden=7')).settings).toEqual({ k: 3 });
  });

  it('lets the CLI take any whole number in the range of a numeric choice', () => {
    const widths = defineSettings({ width: { kind: 'choice', choices: [16, 32, 64], default: 32, cliRange: [1, 256], url: 'width', cli: 'width', help: 'h', retrain: true } });
    expect(readLink(widths, new URLSearchParams('width=48')).invalid).toEqual(['width']);
    expect(readCli(widths, { width: '48' }, defaultsOf(widths))).toEqual({ width: 48 });
    expect(() => readCli(widths, { width: '1.5' }, defaultsOf(widths))).toThrow('--width must be a whole number from 1 to 256; got "1.5"');
  });
});
