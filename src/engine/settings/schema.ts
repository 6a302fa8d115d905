/**
 * One declaration per setting. A lab's or an algorithm's settings are a schema: a record of fields,
 * each with its type, default, range or choices, name in the link (URL hash), CLI flag, help text
 * key and whether a change needs retraining. Everything else is derived from it: the TypeScript
 * settings type (`SettingsOf`), the defaults, reading and writing a link with validation
 * (`readLink` / `writeLink`), the training key, CLI flags and their usage text (`cliSpec`,
 * `readCli`, `cliUsage`), and the page's generic settings fields.
 *
 * Plain TypeScript with no tfjs, no DOM: the engine, the worker, the page and the CLI all read it.
 */

/** What every kind of field declares. */
interface FieldBase {
  /** Name in the link (`#/lab?<url>=…`), or false when links do not carry it. */
  url: string | false;
  /** CLI flag without the dashes (`meta-lr`), or false when the CLI does not take it. */
  cli: string | false;
  /** Message key of the one-line help shown beside the control and in the CLI usage. */
  help: string;
  /** A change of this setting makes what was trained stale: the model is trained again. */
  retrain: boolean;
  /** Only these algorithms/methods read it (the CLI refuses it for others, the page hides it); absent: all. */
  only?: readonly string[];
}

export interface NumberField extends FieldBase {
  kind: 'number';
  default: number;
  min: number;
  max: number;
  integer?: boolean;
  /** Shown in a link rounded to this many decimals (trailing zeros dropped); absent: as is. */
  round?: number;
  /**
   * The range the CLI accepts when it is wider than min…max: links and the page keep a browser's
   * budget (e.g. K ≤ 100), a Node run may go further (K ≤ 1000).
   */
  cliRange?: readonly [number, number];
  /** The page shows a slider over this part of the range instead of a number box. */
  slider?: { min: number; max: number; step: number };
}

export interface BooleanField extends FieldBase {
  kind: 'boolean';
  default: boolean;
  /** The CLI flag turns it off (`--no-scale`) rather than on. */
  cliNegates?: boolean;
}

export interface ChoiceField<C extends string | number = string | number> extends FieldBase {
  kind: 'choice';
  choices: readonly C[];
  default: C;
  /**
   * Numeric choices only: the CLI accepts any whole number in this range, where the page offers a
   * few (a conv width of 1 to 256 in Node, 16, 32 or 64 in the browser).
   */
  cliRange?: readonly [number, number];
}

/** Several of a set of choices, written comma-separated (`algs=maml,reptile`). */
export interface ListField<C extends string = string> extends FieldBase {
  kind: 'list';
  choices: readonly C[];
  default: readonly C[];
}

export type Field = NumberField | BooleanField | ChoiceField | ListField;
export type Schema = Readonly<Record<string, Field>>;

export type ValueOf<F extends Field> = F extends NumberField
  ? number
  : F extends BooleanField
    ? boolean
    : F extends ChoiceField<infer C>
      ? C
      : F extends ListField<infer C>
        ? C[]
        : never;

/** The settings type a schema declares. */
export type SettingsOf<S extends Schema> = { -readonly [K in keyof S]: ValueOf<S[K]> };

/** The fields of a schema that links carry (`url` not false): what a lab's link reproduces. */
export type LinkFields<S extends Schema> = { [K in keyof S as S[K] extends { url: false } ? never : K]: S[K] };

/** The part of a schema that links carry, e.g. a lab's settings among its algorithm's config fields. */
export function linkFields<S extends Schema>(schema: S): LinkFields<S> {
  return Object.fromEntries(Object.entries(schema).filter(([, f]) => f.url !== false)) as LinkFields<S>;
}

/** The run's seed, as most schemas declare it (all randomness derives from it); spread it to rename its link field. */
export const SEED_FIELD = { kind: 'number', default: 0, min: 0, max: 2 ** 32 - 1, integer: true, url: 'seed', cli: 'seed', help: 'settingSeed', retrain: true } as const satisfies NumberField;

/** Declares a schema, keeping its literal choices (so `SettingsOf` has exact unions). */
export function defineSettings<const S extends Schema>(schema: S): S {
  for (const [key, f] of Object.entries(schema)) {
    const ok = parseField(f, showField(f, f.default as never));
    if (ok === null) throw new Error(`setting ${key}: its default ${JSON.stringify(f.default)} is outside its own range or choices`);
  }
  return schema;
}

export function defaultsOf<S extends Schema>(schema: S): SettingsOf<S> {
  const out: Record<string, unknown> = {};
  for (const [key, f] of Object.entries(schema)) out[key] = f.kind === 'list' ? [...f.default] : f.default;
  return out as SettingsOf<S>;
}

/** A field's value from text (a link or a CLI flag), or null when it is not a valid value. */
export function parseField(f: Field, raw: string): unknown {
  switch (f.kind) {
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n) || n < f.min || n > f.max || (f.integer && !Number.isInteger(n))) return null;
      return n;
    }
    case 'boolean':
      return raw === '1' || raw === 'true' ? true : raw === '0' || raw === 'false' ? false : null;
    case 'choice':
      return f.choices.find((c) => String(c) === raw) ?? null;
    case 'list': {
      const items = raw.split(',').filter(Boolean);
      return items.every((i) => (f.choices as readonly string[]).includes(i)) ? items : null;
    }
  }
}

/** A field's value as text in a link. */
export function showField(f: Field, v: unknown): string {
  switch (f.kind) {
    case 'number': {
      const n = v as number;
      return f.round === undefined ? String(n) : String(Math.round(n * 10 ** f.round) / 10 ** f.round);
    }
    case 'boolean':
      return v ? '1' : '0';
    case 'choice':
      return String(v);
    case 'list':
      return (v as readonly string[]).join(',');
  }
}

/** Whether a field applies to the settings of `subject` (an algorithm or method id). */
export function appliesTo(f: Field, subject: string | undefined): boolean {
  return !f.only || subject === undefined || f.only.includes(subject);
}

export interface LinkRead<T> {
  settings: T;
  /** Link names whose values were invalid and replaced by defaults (for the page's notice). */
  invalid: string[];
}

/** Reads a link: missing values take their defaults; invalid ones too, and are named in `invalid`. */
export function readLink<S extends Schema>(schema: S, params: URLSearchParams): LinkRead<SettingsOf<S>> {
  const invalid: string[] = [];
  const out = defaultsOf(schema) as Record<string, unknown>;
  for (const [key, f] of Object.entries(schema)) {
    if (f.url === false) continue;
    const raw = params.get(f.url);
    if (raw === null) continue;
    const v = parseField(f, raw);
    if (v === null) invalid.push(f.url);
    else out[key] = v;
  }
  return { settings: out as SettingsOf<S>, invalid };
}

/** Writes settings into a link's parameters (into `into` when given, so several schemas share one link). */
export function writeLink<S extends Schema>(schema: S, settings: SettingsOf<S>, into = new URLSearchParams()): URLSearchParams {
  for (const [key, f] of Object.entries(schema)) if (f.url !== false) into.set(f.url, showField(f, (settings as Record<string, unknown>)[key]));
  return into;
}

/**
 * The part of the settings that a trained model depends on: equal keys mean the model is still
 * valid. Only fields marked `retrain` that apply to `subject` count.
 */
export function trainingKey<S extends Schema>(schema: S, settings: SettingsOf<S>, subject?: string): string {
  const own: Record<string, unknown> = {};
  for (const [key, f] of Object.entries(schema)) if (f.retrain && appliesTo(f, subject)) own[f.url || key] = (settings as Record<string, unknown>)[key];
  return `${subject ?? ''}:${JSON.stringify(own)}`;
}

/** A mistake in a CLI value, reported by the CLI as a usage error (exit code 2). */
export class SettingError extends Error {}

/** The flags of a schema for node:util's parseArgs. */
export function cliSpec(schema: Schema): Record<string, { type: 'string' | 'boolean' }> {
  const spec: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const f of Object.values(schema)) if (f.cli !== false) spec[f.cli] = { type: f.kind === 'boolean' ? 'boolean' : 'string' };
  return spec;
}

/**
 * Settings from parsed CLI flags on top of `base` (defaults, a preset): each flag is validated
 * against its field, and a flag that does not apply to `subject` is refused rather than ignored.
 */
export function readCli<S extends Schema, T extends SettingsOf<S>>(schema: S, values: Record<string, unknown>, base: T, subject?: string): T {
  const out = { ...base } as Record<string, unknown>;
  for (const [key, f] of Object.entries(schema)) {
    if (f.cli === false) continue;
    const raw = values[f.cli];
    if (raw === undefined) continue;
    if (!appliesTo(f, subject)) throw new SettingError(`--${f.cli} only applies to ${f.only!.join(', ')}`);
    if (f.kind === 'boolean') {
      out[key] = f.cliNegates ? !raw : Boolean(raw);
      continue;
    }
    const cf = cliField(f);
    const v = parseField(cf, String(raw));
    if (v === null) throw new SettingError(`--${f.cli} ${describeRange(cf)}; got "${String(raw)}"`);
    out[key] = v;
  }
  return out as T;
}

/** A field with the range the CLI accepts (a numeric choice with a `cliRange` becomes a whole-number field). */
export function cliField(f: Field): Field {
  if (f.kind === 'number' && f.cliRange) return { ...f, min: f.cliRange[0], max: f.cliRange[1] };
  if (f.kind === 'choice' && f.cliRange) return { ...f, kind: 'number', default: Number(f.default), min: f.cliRange[0], max: f.cliRange[1], integer: true };
  return f;
}

/** What values a field takes, in words (for CLI messages and usage). */
export function describeRange(f: Field): string {
  switch (f.kind) {
    case 'number':
      return `must be ${f.integer ? 'a whole number' : 'a number'} from ${f.min} to ${f.max}`;
    case 'boolean':
      return 'is a switch';
    case 'choice':
      return `must be one of ${f.choices.join(', ')}`;
    case 'list':
      return `must be a comma-separated list of ${f.choices.join(', ')}`;
  }
}

/** Usage text of a schema's flags, one `[--flag VALUE]` each, with the algorithms a flag is for. */
export function cliUsage(schema: Schema, wrap?: { width: number; indent: string }): string {
  const parts: string[] = [];
  for (const f of Object.values(schema)) {
    if (f.cli === false) continue;
    const value = f.kind === 'boolean' ? '' : f.kind === 'choice' && !f.cliRange ? ` ${f.choices.join('|')}` : f.kind === 'list' ? ' A,B,…' : ' N';
    parts.push(`[--${f.cli}${value}]${f.only ? ` (${f.only.join(', ')})` : ''}`);
  }
  if (!wrap) return parts.join(' ');
  // Lines of at most `width` characters (after the indent), each flag whole on one line.
  const lines: string[] = [];
  for (const part of parts) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + part.length <= wrap.width) lines[last] += ` ${part}`;
    else lines.push(part);
  }
  return lines.map((l) => wrap.indent + l).join('\n');
}
