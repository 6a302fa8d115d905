/** A labelled range input with its value beside the label, for the lab's page-only settings. */
export function Slider(props: { label: string; value: number; min: number; max: number; step: number; testId: string; onChange: (v: number) => void }) {
  return (
    <label className="slider">
      <span>
        {props.label} <strong>{props.value}</strong>
      </span>
      <input type="range" min={props.min} max={props.max} step={props.step} value={props.value} data-testid={props.testId} onChange={(e) => props.onChange(Number(e.target.value))} />
    </label>
  );
}
