import type { Speed } from '../../worker/vocabulary';
import type { Translate } from '../store';

/** Play / pause / step / reset / speed: the same transport bar in every lab. */
export function Controls(props: {
  t: Translate;
  running: boolean;
  disabled: boolean;
  step: number;
  stepsPerS: number;
  speed: Speed;
  onPlay: () => void;
  onPause: () => void;
  onStep: () => void;
  onReset: () => void;
  onSpeed: (s: Speed) => void;
}) {
  const { t } = props;
  return (
    <div className="controls" role="toolbar">
      {props.running ? (
        <button type="button" className="primary" data-testid="pause" onClick={props.onPause} title="space">
          ❚❚ {t('pause')}
        </button>
      ) : (
        <button type="button" className="primary" data-testid="play" onClick={props.onPlay} disabled={props.disabled} title="space">
          ▶ {t('play')}
        </button>
      )}
      <button type="button" data-testid="step" onClick={props.onStep} disabled={props.disabled} title="→">
        {t('step')}
      </button>
      <button type="button" data-testid="reset" onClick={props.onReset}>
        ↺ {t('reset')}
      </button>
      <label className="inline">
        {t('speed')}{' '}
        <select data-testid="speed" value={props.speed} onChange={(e) => props.onSpeed(e.target.value as Speed)}>
          <option value="slow">{t('speedSlow')}</option>
          <option value="normal">{t('speedNormal')}</option>
          <option value="fast">{t('speedFast')}</option>
        </select>
      </label>
      <span className="counter" data-testid="step-counter" data-step={props.step}>
        {t('outerStep')} <strong>{props.step}</strong>
      </span>
      {props.running && (
        <span className="muted" data-testid="steps-per-second" data-value={props.stepsPerS.toFixed(1)}>
          {t('stepsPerSecond', { n: props.stepsPerS.toFixed(1) })}
        </span>
      )}
    </div>
  );
}
