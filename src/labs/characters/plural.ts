import type { Translate } from '../../ui/store';

type Countable = 'charsAlphabetCount' | 'charsCharacterCount' | 'charsDrawerCount' | 'charsSubStrokes';

/** "{n} things", or the catalog's "…One" form for exactly one (English needs it; others repeat the plural). */
export function count(t: Translate, key: Countable, n: number): string {
  return n === 1 ? t(`${key}One`) : t(key, { n });
}
