import { cliField, describeRange, parseField, type Field, type Schema } from './schema';

/**
 * A checkpoint's config checked against the schema that declares its settings, before anything is
 * built from it: a file asking for an encoder 10⁹ wide or batches of 10⁹ sequences is refused with
 * the field's name instead of being allocated. A numeric setting passes when a run could have
 * written it: within the CLI's range (`cliRange`) where that is wider than the page's. Fields the
 * schema does not declare, and values that are not numbers, are left to the family's own reading.
 * Returns the problem in words, or null.
 */
export function checkpointConfigProblem(schema: Schema, config: Record<string, unknown>): string | null {
  for (const [key, f] of Object.entries(schema)) {
    const v = config[key];
    if (typeof v !== 'number') continue;
    const range = numericRange(f);
    if (range && parseField(range, String(v)) === null) return `its config asks for ${key} = ${v}, but ${key} ${describeRange(range)}`;
  }
  return null;
}

/** A numeric field (a number, or a choice of numbers) with the widest range a run accepts (the CLI's), or null for other kinds. */
function numericRange(f: Field): Field | null {
  return f.kind === 'number' || (f.kind === 'choice' && typeof f.default === 'number') ? cliField(f) : null;
}
