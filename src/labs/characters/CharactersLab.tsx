import { useCallback, useEffect, useRef, type RefObject } from 'react';
import { DRAWING_SET_FORMAT, DRAWING_SET_VERSION, datasetStats, DrawingSetError, parseDrawingSet } from '../../engine/tasks/characters';
import { useApp, useT, type Translate } from '../../ui/store';
import type { CharSource } from '../../worker/charactersProtocol';
import { BplCard } from './BplCard';
import { BrowseCard } from './BrowseCard';
import { CharactersClient } from './charactersClient';
import { DrawCard, MyEpisodesCard } from './DrawCard';
import { EpisodeCard } from './EpisodeCard';
import { Explanation } from './Explanation';
import { FamilyCard } from './FamilyCard';
import { OmniglotCard } from './OmniglotCard';
import { loadStoredUserSet, saveUserSet, STORAGE_KEYS, useChars, writeStored } from './store';
import { fromDrawingSet, mergeUserSets } from './userSet';

/** #/characters: handwritten characters from three sources, episodes, BPL, and the user's own drawings. */
export default function CharactersLab() {
  const t = useT();
  const notify = useApp((s) => s.notify);
  const client = useRef<CharactersClient | null>(null);

  // Start: the user's saved drawings, then the worker (synthetic default + cached Omniglot).
  useEffect(() => {
    const stored = loadStoredUserSet();
    if (stored.damaged) notify({ level: 'warning', key: 'charsStoredDrawingsDamaged', params: { reason: stored.damaged } });
    useChars.setState({ user: stored.set, targetClass: stored.set.classes.length > 0 ? stored.set.classes.length - 1 : null });
    if (typeof Worker === 'undefined') {
      notify({ level: 'error', key: 'noticeWorkerUnsupported' });
      return;
    }
    const c = new CharactersClient();
    client.current = c;
    c.setUserSet({ format: DRAWING_SET_FORMAT, version: DRAWING_SET_VERSION, classes: stored.set.classes, episodes: [] }, useChars.getState().centre);
    return () => {
      c.terminate();
      client.current = null;
    };
  }, [notify]);

  // The user's drawings: saved in this browser and rasterized (in the worker) into the "my drawings" data set.
  useEffect(() => {
    let timer = 0;
    let pending = false;
    let last = { classes: useChars.getState().user.classes, centre: useChars.getState().centre };
    const flush = () => {
      window.clearTimeout(timer);
      if (!pending) return;
      pending = false;
      const { user, centre } = useChars.getState();
      if (!saveUserSet(user)) notify({ level: 'warning', key: 'charsStorageFull' });
      if (user.classes !== last.classes || centre !== last.centre) {
        last = { classes: user.classes, centre };
        client.current?.setUserSet({ format: DRAWING_SET_FORMAT, version: DRAWING_SET_VERSION, classes: user.classes, episodes: [] }, centre);
      }
    };
    const unsub = useChars.subscribe((s, prev) => {
      // The chosen source is remembered, whoever chose it (a button, a loaded zip).
      if (s.source !== prev.source) writeStored(STORAGE_KEYS.source, s.source);
      if (s.centre !== prev.centre) writeStored(STORAGE_KEYS.centre, s.centre ? '1' : '0');
      if (s.user === prev.user && s.centre === prev.centre) return;
      // Bursts of edits are written once; leaving the page writes at once.
      pending = true;
      window.clearTimeout(timer);
      timer = window.setTimeout(flush, 250);
    });
    window.addEventListener('pagehide', flush);
    return () => {
      flush();
      window.removeEventListener('pagehide', flush);
      unsub();
    };
  }, [notify]);

  const loadDrawingsFile = useCallback(
    async (file: File) => {
      let text: string;
      try {
        text = await file.text();
      } catch (e) {
        notify({ level: 'error', key: 'charsDrawingsRefused', params: { file: file.name, reason: e instanceof Error ? e.message : String(e) } });
        return;
      }
      try {
        const set = parseDrawingSet(text);
        const user = mergeUserSets(useChars.getState().user, fromDrawingSet(set));
        useChars.setState({ user, targetClass: user.classes.length > 0 ? user.classes.length - 1 : null });
        const drawings = set.classes.reduce((n, c) => n + c.drawings.length, 0);
        notify({ level: 'info', key: 'charsDrawingsLoaded', params: { file: file.name, classes: set.classes.length, drawings, episodes: set.episodes.length } });
      } catch (e) {
        const reason = e instanceof DrawingSetError ? e.message : e instanceof Error ? e.message : String(e);
        notify({ level: 'error', key: 'charsDrawingsRefused', params: { file: file.name, reason } });
      }
    },
    [notify],
  );

  const openFiles = useCallback(
    (files: File[]) => {
      const zips = files.filter((f) => /\.zip$/i.test(f.name) || f.type.includes('zip'));
      const json = files.filter((f) => !zips.includes(f) && (/\.json$/i.test(f.name) || f.type.includes('json')));
      const other = files.filter((f) => !zips.includes(f) && !json.includes(f));
      for (const f of other) notify({ level: 'warning', key: 'charsUnknownFile', params: { file: f.name } });
      if (zips.length > 0) void client.current?.loadFiles(zips);
      for (const f of json) void loadDrawingsFile(f);
    },
    [notify, loadDrawingsFile],
  );

  // Drop zips (Omniglot) or a drawings file anywhere on the page.
  useEffect(() => {
    const over = (e: DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    };
    const drop = (e: DragEvent) => {
      const files = [...(e.dataTransfer?.files ?? [])];
      if (files.length === 0) return;
      e.preventDefault();
      openFiles(files);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [openFiles]);

  return (
    <div className="lab chars-lab">
      <SourceBar t={t} client={client} />
      <div className="lab-grid">
        <div className="main-col">
          <BrowseCard t={t} client={client} />
          <EpisodeCard t={t} />
          <FamilyCard t={t} />
          <BplCard t={t} />
        </div>
        <div className="side-col">
          <DrawCard t={t} />
          <MyEpisodesCard t={t} onOpenFile={(f) => void loadDrawingsFile(f)} />
          <OmniglotCard t={t} client={client} onFiles={openFiles} />
          <Explanation t={t} />
        </div>
      </div>
    </div>
  );
}

const SOURCE_LABEL: Record<CharSource, 'charsSourceSynthetic' | 'charsSourceOmniglot' | 'charsSourceUser'> = {
  synthetic: 'charsSourceSynthetic',
  omniglot: 'charsSourceOmniglot',
  user: 'charsSourceUser',
};

function SourceBar({ t, client }: { t: Translate; client: RefObject<CharactersClient | null> }) {
  const source = useChars((s) => s.source);
  const rotations = useChars((s) => s.rotations);
  const choose = (s: CharSource) => {
    useChars.setState((st) => ({ source: s, browse: { ...st.browse, alphabet: null, character: null, image: null } }));
  };
  return (
    <div className="toolbar card chars-toolbar">
      <div className="segmented" role="group" aria-label={t('charsSource')}>
        {(['synthetic', 'omniglot', 'user'] as const).map((s) => (
          <button key={s} type="button" data-testid={`source-${s}`} aria-pressed={source === s} className={source === s ? 'on' : undefined} onClick={() => choose(s)}>
            {t(SOURCE_LABEL[s])}
            <SourceCount source={s} />
          </button>
        ))}
      </div>
      <label className="inline">
        <input
          type="checkbox"
          data-testid="rotations"
          checked={rotations}
          onChange={(e) => {
            const on = e.target.checked;
            writeStored(STORAGE_KEYS.rotations, on ? '1' : '0');
            useChars.setState({ rotations: on });
            client.current?.setRotations(on);
          }}
        />
        {t('charsRotations')}
      </label>
      <span className="spacer" />
      <SourceStats t={t} />
    </div>
  );
}

function SourceCount({ source }: { source: CharSource }) {
  const n = useChars((s) => s.sources[source].dataset?.characters.length ?? null);
  const busy = useChars((s) => s.sources[source].busy !== null);
  if (busy) return <span className="count busy" aria-hidden="true" />;
  return n === null ? null : <span className="count">{n}</span>;
}

const BUSY_KEY = {
  generate: 'charsBusyGenerate',
  'cache-read': 'charsBusyCacheRead',
  decode: 'charsBusyDecode',
  rotate: 'charsBusyRotate',
  'cache-write': 'charsBusyCacheWrite',
} as const;

function SourceStats({ t }: { t: Translate }) {
  const source = useChars((s) => s.source);
  const st = useChars((s) => s.sources[s.source]);
  const ds = st.dataset;
  const stats = ds ? datasetStats(ds) : null;
  return (
    <span className="source-stats" data-testid="source-stats" data-source={source} data-alphabets={stats?.alphabets ?? 0} data-images={stats?.images ?? 0} data-origin={st.origin ?? ''} data-ms={Math.round(st.ms)}>
      {st.busy ? (
        <span className="busy-text">{t(BUSY_KEY[st.busy.phase], { file: st.busy.file ?? '', index: st.busy.index ?? 1, count: st.busy.count ?? 1 })}</span>
      ) : stats ? (
        <>
          <span className="split-badge background">{t('charsSplitBackground')}</span> {t('charsCounts', { ...stats.background })}{' '}
          <span className="split-badge evaluation">{t('charsSplitEvaluation')}</span> {t('charsCounts', { ...stats.evaluation })}
          {st.hash && (
            <>
              {' '}
              <bdi className="muted hash" dir="ltr" title={t('charsHashTitle')}>
                #{st.hash.slice(0, 8)}
              </bdi>
            </>
          )}
        </>
      ) : (
        <span className="muted">{t(source === 'omniglot' ? 'charsNoOmniglot' : source === 'user' ? 'charsNoDrawings' : 'charsLoading')}</span>
      )}
    </span>
  );
}
