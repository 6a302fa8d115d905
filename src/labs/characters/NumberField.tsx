import { useEffect, useState } from 'react';

/** A number input that commits on blur or Enter, and only a value within [min, max] (an integer when the step is 1); anything else reverts. */
export function NumberField({ label, value, min, max, step, testId, onChange }: { label: string; value: number; min: number; max: number; step: number; testId: string; onChange: (v: number) => void }) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  return (
    <label className="field compact">
      <span>{label}</span>
      <input
        type="number"
        min={min}
        max={max}
        step={step}
        value={text}
        data-testid={testId}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => {
          const v = Number(text);
          const ok = text.trim() !== '' && Number.isFinite(v) && v >= min && v <= max && (step !== 1 || Number.isInteger(v));
          if (ok && v !== value) onChange(v);
          else if (!ok) setText(String(value));
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
        }}
      />
    </label>
  );
}
