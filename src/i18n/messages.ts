/**
 * The one message catalog. Every string the UI shows comes from here, so a language is one
 * object. English is the reference; Chinese and Persian follow the readers of the source books.
 * `{name}` placeholders are filled by `t()`.
 *
 * The strings live in catalog/, one file per lab or area, each with its English, Chinese and
 * Persian side by side; this module merges them. Each file types its `zh` and `fa` as a record of
 * its own English keys, so a missing or extra translation is a compile error where it is written.
 * No key may be in two files (messages.test.ts).
 *
 * Key prefixes: a new key of a lab starts with the lab's prefix: `sine` (sine.ts), `chars`
 * (characters*.ts), `fam` (family.ts, the family card on characters), `mem` (memory.ts), `metric`
 * (metric*.ts), `zs` (zeroShot.ts), `landscape` (landscape.ts), `diagnostics` (diagnostics.ts), `opt`
 * (optimizers.ts); `alg` for the gradient-based family's names shared by several labs (algorithms.ts). The app's frame
 * (shell.ts) and words several labs share (shared.ts) take no prefix. Older keys that predate the
 * rule keep their names: links, tests and every component use them.
 */
import * as shell from './catalog/shell';
import * as shared from './catalog/shared';
import * as algorithms from './catalog/algorithms';
import * as sine from './catalog/sine';
import * as diagnostics from './catalog/diagnostics';
import * as characters from './catalog/characters';
import * as charactersDraw from './catalog/charactersDraw';
import * as family from './catalog/family';
import * as memory from './catalog/memory';
import * as landscape from './catalog/landscape';
import * as metric from './catalog/metric';
import * as metricArena from './catalog/metricArena';
import * as zeroShot from './catalog/zeroShot';
import * as optimizers from './catalog/optimizers';

export const en = { ...shell.en, ...shared.en, ...algorithms.en, ...sine.en, ...diagnostics.en, ...characters.en, ...charactersDraw.en, ...family.en, ...memory.en, ...landscape.en, ...metric.en, ...metricArena.en, ...zeroShot.en, ...optimizers.en };
export type MessageKey = keyof typeof en;
export type Catalog = Record<MessageKey, string>;

export const zh: Catalog = { ...shell.zh, ...shared.zh, ...algorithms.zh, ...sine.zh, ...diagnostics.zh, ...characters.zh, ...charactersDraw.zh, ...family.zh, ...memory.zh, ...landscape.zh, ...metric.zh, ...metricArena.zh, ...zeroShot.zh, ...optimizers.zh };

export const fa: Catalog = { ...shell.fa, ...shared.fa, ...algorithms.fa, ...sine.fa, ...diagnostics.fa, ...characters.fa, ...charactersDraw.fa, ...family.fa, ...memory.fa, ...landscape.fa, ...metric.fa, ...metricArena.fa, ...zeroShot.fa, ...optimizers.fa };

export const LOCALES = { en: { name: 'English', dir: 'ltr', catalog: en as Catalog }, zh: { name: '中文', dir: 'ltr', catalog: zh }, fa: { name: 'فارسی', dir: 'rtl', catalog: fa } } as const;
export type Locale = keyof typeof LOCALES;

export function format(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}
