import type { ReactNode } from 'react';
import type { BackendChoice, BrowserBackend, ProbeResult, Speed } from '../../worker/vocabulary';
import type { Translate } from '../store';
import { BackendPicker } from './BackendPicker';
import { Controls } from './Controls';

/** What a lab's page hands its toolbar: the user's settings and what each control does. */
export interface TransportActions {
  t: Translate;
  speed: Speed;
  backendChoice: BackendChoice;
  onPlay: () => void;
  onPause: () => void;
  onStep: () => void;
  onReset: () => void;
  onSpeed: (s: Speed) => void;
  onBackend: (b: BackendChoice) => void;
  onCopyLink: () => void;
}

/** What the worker reports, read by each lab from its own store. */
export interface TransportState {
  running: boolean;
  disabled: boolean;
  step: number;
  stepsPerS: number;
  backend: BrowserBackend | null;
  probe: ProbeResult[] | null;
}

/**
 * The lab toolbar: transport controls, then the lab's own readings (`progress` before the spacer,
 * `children` after it), the backend badge and selector and the copy-link button.
 */
export function TransportBar(props: TransportActions & TransportState & { progress?: ReactNode; children?: ReactNode }) {
  const { t } = props;
  return (
    <div className="toolbar card">
      <Controls
        t={t}
        running={props.running}
        disabled={props.disabled}
        step={props.step}
        stepsPerS={props.stepsPerS}
        speed={props.speed}
        onPlay={props.onPlay}
        onPause={props.onPause}
        onStep={props.onStep}
        onReset={props.onReset}
        onSpeed={props.onSpeed}
      />
      {props.progress}
      <span className="spacer" />
      {props.children}
      <BackendPicker t={t} backend={props.backend} choice={props.backendChoice} probe={props.probe} onChoose={props.onBackend} />
      <button type="button" data-testid="copy-link" onClick={props.onCopyLink}>
        {t('copyLink')}
      </button>
    </div>
  );
}
