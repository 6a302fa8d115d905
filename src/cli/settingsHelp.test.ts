import { describe, expect, it } from 'vitest';
import { en } from '../i18n/messages';
import { METHODS } from '../engine/methods/registry';

describe('the settings of every registered algorithm', () => {
  it('name a help text in the message catalogue (the CLI usage and the page’s fields show it)', () => {
    for (const d of METHODS)
      for (const [key, f] of Object.entries(d.settings ?? {})) expect(en, `${d.family} ${d.id}: ${key}`).toHaveProperty(f.help);
  });
});
