import { useState } from 'react';
import { appliesTo, parseField, type Field, type ListField, type NumberField, type Schema, type SettingsOf } from '../../engine/settings/schema';
import type { MessageKey } from '../../i18n/messages';
import type { Translate } from '../store';

/**
 * The controls of a settings schema, one per field: a number box (or a slider where the field asks
 * for one), a select for choices, a checkbox for a switch, a group of checkboxes for a list. Each
 * control's label is the field's help text. Fields that do not apply to `subject` are not shown.
 */
export interface SettingsFieldsProps<S extends Schema> {
  schema: S;
  values: SettingsOf<S>;
  onChange: (partial: Partial<SettingsOf<S>>) => void;
  t: Translate;
  /** The algorithm or model whose settings these are: fields whose `only` excludes it are hidden. */
  subject?: string;
  /** The fields to show, in this order (default: every field that links carry). */
  fields?: readonly (keyof S & string)[];
  /** Each control's test id (default `setting-` and the field's link name). */
  testId?: (key: string, field: Field) => string;
  /** The words for a choice (default: the value itself). */
  choiceText?: { [K in keyof S]?: (value: SettingsOf<S>[K]) => string };
}

/** The fields shown for `subject`: those asked for (or all that links carry) that apply to it. */
export function shownFields<S extends Schema>(schema: S, subject: string | undefined, fields?: readonly (keyof S & string)[]): string[] {
  const keys = fields ?? Object.keys(schema).filter((k) => schema[k].url !== false);
  return keys.filter((k) => appliesTo(schema[k], subject));
}

export const defaultTestId = (key: string, f: Field): string => `setting-${f.url === false ? key : f.url}`;

export function SettingsFields<S extends Schema>({ schema, values, onChange, t, subject, fields, testId = defaultTestId, choiceText }: SettingsFieldsProps<S>) {
  const all = values as Record<string, unknown>;
  const texts = (choiceText ?? {}) as Record<string, ((v: unknown) => string) | undefined>;
  return (
    <>
      {shownFields(schema, subject, fields).map((key) => {
        const f = schema[key];
        const set = (v: unknown) => onChange({ [key]: v } as Partial<SettingsOf<S>>);
        const id = testId(key, f);
        const label = t(f.help as MessageKey);
        switch (f.kind) {
          case 'number':
            return f.slider ? (
              <SliderControl key={key} field={f} label={label} id={id} value={all[key] as number} onValue={set} />
            ) : (
              <NumberControl key={key} field={f} label={label} id={id} value={all[key] as number} onValue={set} />
            );
          case 'boolean':
            return (
              <label key={key} className="field check">
                <input type="checkbox" data-testid={id} checked={all[key] as boolean} onChange={(e) => set(e.target.checked)} />
                <span>{label}</span>
              </label>
            );
          case 'choice':
            return (
              <label key={key} className="field">
                <span>{label}</span>
                <select value={String(all[key])} data-testid={id} onChange={(e) => set(parseField(f, e.target.value))}>
                  {f.choices.map((c) => (
                    <option key={c} value={String(c)}>
                      {texts[key]?.(c) ?? String(c)}
                    </option>
                  ))}
                </select>
              </label>
            );
          case 'list':
            return <ListControl key={key} field={f} label={label} id={id} value={all[key] as string[]} onValue={set} text={texts[key]} />;
        }
      })}
    </>
  );
}

interface ControlProps<F extends Field, V> {
  field: F;
  label: string;
  id: string;
  value: V;
  onValue: (v: V) => void;
}

/** A number box: what is typed stays while the box has focus; only valid values reach the settings. */
function NumberControl({ field, label, id, value, onValue }: ControlProps<NumberField, number>) {
  const [text, setText] = useState(String(value));
  const [focused, setFocused] = useState(false);
  const valid = parseField(field, text) !== null;
  return (
    <label className="field">
      <span>{label}</span>
      <input
        type="number"
        step={field.integer ? '1' : 'any'}
        data-testid={id}
        aria-invalid={focused && !valid}
        className={focused && !valid ? 'invalid' : undefined}
        value={focused ? text : String(value)}
        onFocus={() => {
          setText(String(value));
          setFocused(true);
        }}
        onBlur={() => setFocused(false)}
        onChange={(e) => {
          setText(e.target.value);
          const v = parseField(field, e.target.value);
          if (v !== null) onValue(v as number);
        }}
      />
    </label>
  );
}

function SliderControl({ field, label, id, value, onValue }: ControlProps<NumberField, number>) {
  const { min, max, step } = field.slider!;
  return (
    <label className="slider">
      <span>
        {label} <strong>{value}</strong>
      </span>
      <input type="range" min={min} max={max} step={step} value={value} data-testid={id} onChange={(e) => onValue(Number(e.target.value))} />
    </label>
  );
}

/** Several of a set of choices: one checkbox each, in the field's order. */
function ListControl({ field, label, id, value, onValue, text }: ControlProps<ListField, string[]> & { text?: (v: unknown) => string }) {
  return (
    <fieldset className="field" data-testid={id}>
      <legend>{label}</legend>
      {field.choices.map((c) => (
        <label key={c} className="check">
          <input type="checkbox" checked={value.includes(c)} data-testid={`${id}-${c}`} onChange={(e) => onValue(field.choices.filter((x) => (x === c ? e.target.checked : value.includes(x))))} />
          <span>{text?.(c) ?? c}</span>
        </label>
      ))}
    </fieldset>
  );
}

/** Whether a settings draft differs from the settings the model was trained with. */
export function draftChanged<T extends object>(draft: T, settings: T): boolean {
  return (Object.keys(draft) as (keyof T)[]).some((k) => draft[k] !== settings[k]);
}

/** A settings card's foot: the note that the draft differs from the settings in use, and the button that retrains with it. */
export function ApplySettings({ t, changed, onApply, testId = 'apply-settings', label = 'applySettings' }: { t: Translate; changed: boolean; onApply: () => void; testId?: string; label?: MessageKey }) {
  return (
    <>
      {changed && <p className="help warn">{t('settingsChanged')}</p>}
      <button type="button" className={changed ? 'primary' : undefined} data-testid={testId} onClick={onApply}>
        {t(label)}
      </button>
    </>
  );
}
