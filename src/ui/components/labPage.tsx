import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { BackendChoice, Speed } from '../../worker/vocabulary';
import { searchParam, setSearchParam } from '../route';
import { useApp, type Translate } from '../store';
import { parseBackendChoice } from './BackendPicker';
import { useFileDrop, useTransportKeys } from './labHooks';
import type { TransportActions } from './TransportBar';

/** The backend a lab's link asks for; a value that is not one warns and falls back to auto. */
export function readBackendLink(params: URLSearchParams): BackendChoice {
  const raw = searchParam('backend') ?? params.get('backend');
  const choice = parseBackendChoice(raw);
  if (raw !== null && choice === null) useApp.getState().notify({ level: 'warning', key: 'noticeBadLink', params: { fields: 'backend' } });
  return choice ?? 'auto';
}

/** Copies the page's link (which holds the lab's settings) and says whether that worked. */
export async function copyPageLink(): Promise<void> {
  const notify = useApp.getState().notify;
  try {
    await navigator.clipboard.writeText(window.location.href);
    notify({ level: 'info', key: 'linkCopied' });
  } catch {
    notify({ level: 'warning', key: 'linkCopyFailed' });
  }
}

/** Reads a chosen or dropped checkpoint file and hands its text to `load` (the lab's worker). */
export function useCheckpointFile(load: (text: string, fileName: string) => void): (file: File) => Promise<void> {
  const latest = useRef(load);
  useEffect(() => {
    latest.current = load;
  });
  const loadFile = useCallback(async (file: File) => latest.current(await file.text().catch(() => ''), file.name), []);
  const dropFile = useCallback((file: File) => void loadFile(file), [loadFile]);
  useFileDrop(dropFile);
  return loadFile;
}

/**
 * Checkpoints trained with the CLI ship with the site (public/examples): fetches each named file
 * and hands its text to `load` (the lab's worker), in order. A failed fetch says why and stops.
 */
export async function loadShippedCheckpoints(names: readonly string[], load: (text: string, fileName: string) => void): Promise<void> {
  for (const name of names) {
    try {
      const res = await fetch(`./examples/${name}`);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      load(await res.text(), name);
    } catch (e) {
      useApp.getState().notify({ level: 'error', key: 'exampleFailed', params: { reason: (e as Error).message } });
      return;
    }
  }
}

/** The "load checkpoint" button: a file input behind a label. */
export function CheckpointFileInput({ t, onFile }: { t: Translate; onFile: (file: File) => Promise<void> }) {
  return (
    <label className="button">
      {t('loadCheckpoint')}
      <input
        type="file"
        accept="application/json,.json"
        data-testid="load-checkpoint"
        className="sr-only"
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void onFile(f);
          e.target.value = '';
        }}
      />
    </label>
  );
}

/** What the toolbar needs of a lab's worker client. */
interface TransportClient {
  play(): void;
  pause(): void;
  step(): void;
  speed(speed: Speed): void;
  send(msg: { type: 'setBackend'; backend: BackendChoice }): void;
}

/**
 * The toolbar's state and actions for a lab: speed and backend choice, play/pause/step through
 * the worker client, the keyboard shortcuts, the backend in the link and copy-link.
 * `forgetBackend` clears the lab's reported backend while the worker switches.
 */
export function useLabTransport(
  t: Translate,
  client: RefObject<TransportClient | null>,
  opts: { reset: () => void; isRunning: () => boolean; forgetBackend: () => void },
): { actions: TransportActions; backendChoice: BackendChoice; setBackendChoice: (b: BackendChoice) => void } {
  const [speed, setSpeed] = useState<Speed>('normal');
  const [backendChoice, setBackendChoice] = useState<BackendChoice>('auto');
  const play = useCallback(() => client.current?.play(), [client]);
  const pause = useCallback(() => client.current?.pause(), [client]);
  const step = useCallback(() => client.current?.step(), [client]);
  useTransportKeys(play, pause, step, opts.isRunning);
  const actions: TransportActions = {
    t,
    speed,
    backendChoice,
    onPlay: play,
    onPause: pause,
    onStep: step,
    onReset: opts.reset,
    onSpeed: (v) => {
      setSpeed(v);
      client.current?.speed(v);
    },
    onBackend: (b) => {
      setBackendChoice(b);
      setSearchParam('backend', b === 'auto' ? null : b);
      opts.forgetBackend();
      client.current?.send({ type: 'setBackend', backend: b });
    },
    onCopyLink: () => void copyPageLink(),
  };
  return { actions, backendChoice, setBackendChoice };
}
