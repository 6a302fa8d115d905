import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { COPY_SCHEMA } from '../../engine/algorithms/copyConfig';
import { SINE_LAB_SCHEMA, SINE_SCHEMA } from '../../engine/algorithms/sineConfig';
import { MANN_SCHEMA } from '../../engine/algorithms/mannConfig';
import { defaultsOf, defineSettings, type Schema, type SettingsOf } from '../../engine/settings/schema';
import { en } from '../../i18n/messages';
import type { Translate } from '../store';
import { SettingsFields, shownFields, type SettingsFieldsProps } from './SettingsFields';

const SCHEMA = defineSettings({
  k: { kind: 'number', default: 5, min: 1, max: 10, integer: true, url: 'k', cli: 'k', help: 'settingK', retrain: true },
  lr: { kind: 'number', default: 0.5, min: 0, max: 1, url: 'lr', cli: false, help: 'settingAlpha', retrain: true },
  lambda: { kind: 'number', default: 0.1, min: 0, max: 10, slider: { min: 0, max: 2, step: 0.05 }, url: 'lambda', cli: false, help: 'settingLambda', retrain: true, only: ['b'] },
  fo: { kind: 'boolean', default: true, url: 'fo', cli: false, help: 'settingFirstOrder', retrain: true },
  mode: { kind: 'choice', choices: ['x', 'y'], default: 'y', url: 'mode', cli: false, help: 'settingReptileMode', retrain: true },
  algs: { kind: 'list', choices: ['p', 'q'], default: ['q'], url: 'algs', cli: false, help: 'landscapeAlgorithms', retrain: false },
  hidden: { kind: 'number', default: 32, min: 1, max: 100, integer: true, url: false, cli: 'hidden', help: 'settingAdaptHidden', retrain: true },
});

const t: Translate = (key) => `«${key}»`;

function render<S extends Schema>(props: Omit<SettingsFieldsProps<S>, 't' | 'onChange'>): string {
  return renderToStaticMarkup(createElement(SettingsFields<S>, { ...props, t, onChange: () => {} }));
}

describe('SettingsFields', () => {
  it('shows the fields that links carry and that apply to the subject', () => {
    expect(shownFields(SCHEMA, 'a')).toEqual(['k', 'lr', 'fo', 'mode', 'algs']);
    expect(shownFields(SCHEMA, 'b')).toEqual(['k', 'lr', 'lambda', 'fo', 'mode', 'algs']);
    expect(shownFields(SCHEMA, 'a', ['mode', 'k', 'lambda'])).toEqual(['mode', 'k']);
  });

  it('renders each kind of field as a labelled control with its value and test id', () => {
    const html = render({ schema: SCHEMA, values: { ...defaultsOf(SCHEMA), k: 7 }, subject: 'b' });
    // Every control sits inside its label (or a fieldset with a legend), whose text is the field's help.
    expect(html).toMatch(/<label class="field"><span>«settingK»<\/span><input type="number" step="1" data-testid="setting-k" aria-invalid="false" value="7"\/><\/label>/);
    expect(html).toContain('step="any" data-testid="setting-lr"');
    expect(html).toMatch(/<label class="slider"><span>«settingLambda» <strong>0.1<\/strong><\/span><input type="range" min="0" max="2" step="0.05" data-testid="setting-lambda" value="0.1"\/>/);
    expect(html).toMatch(/<label class="field check"><input type="checkbox" data-testid="setting-fo" checked=""\/><span>«settingFirstOrder»<\/span><\/label>/);
    expect(html).toMatch(/<select data-testid="setting-mode"><option value="x">x<\/option><option value="y" selected="">y<\/option><\/select>/);
    expect(html).toMatch(/<fieldset class="field" data-testid="setting-algs"><legend>«landscapeAlgorithms»<\/legend>/);
    expect(html).toContain('data-testid="setting-algs-q" checked=""');
    expect(html).not.toContain('hidden');
  });

  it('hides the fields of other subjects, and takes test ids and choice words from the lab', () => {
    const html = render({ schema: SCHEMA, values: defaultsOf(SCHEMA), subject: 'a', testId: (key: string) => `my-${key}`, choiceText: { mode: (m: SettingsOf<typeof SCHEMA>['mode']) => m.toUpperCase() } });
    expect(html).not.toContain('lambda');
    expect(html).toContain('data-testid="my-k"');
    expect(html).toContain('<option value="y" selected="">Y</option>');
  });

  it('finds the text of every help key of the sine, copy and MANN schemas', () => {
    for (const schema of [SINE_SCHEMA, SINE_LAB_SCHEMA, COPY_SCHEMA, MANN_SCHEMA] as Schema[]) for (const f of Object.values(schema)) expect(en).toHaveProperty(f.help);
  });
});
