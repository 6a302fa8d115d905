import type { RefObject } from 'react';
import type { Translate } from '../../ui/store';
import type { CharactersClient } from './charactersClient';
import { OMNIGLOT_BASE_URL, OMNIGLOT_ZIPS } from './download';
import { useChars } from './store';

const MB = 1024 * 1024;

/** The real Omniglot: download the official zips (with progress), or load them from disk; cached in this browser. */
export function OmniglotCard({ t, client, onFiles }: { t: Translate; client: RefObject<CharactersClient | null>; onFiles: (files: File[]) => void }) {
  const download = useChars((s) => s.download);
  const cached = useChars((s) => s.cachedArchives);
  const omniglot = useChars((s) => s.sources.omniglot);
  const busy = download.state === 'downloading' || download.state === 'decoding' || omniglot.busy?.phase === 'decode';
  const total = OMNIGLOT_ZIPS.reduce((n, z) => n + z.approxBytes, 0);
  const ds = omniglot.dataset;
  const pct = Math.round(download.fraction * 100);

  return (
    <section className="card" data-testid="omniglot-card">
      <h2>{t('charsOmniglotTitle')}</h2>
      <p className="help">{t('charsOmniglotHelp', { mb: (total / MB).toFixed(0) })}</p>
      <div className="buttons">
        <button type="button" className="primary" data-testid="omniglot-get" disabled={busy} onClick={() => void client.current?.download()} title={OMNIGLOT_BASE_URL}>
          ⤓ {t(ds ? 'charsGetOmniglotAgain' : 'charsGetOmniglot')}
        </button>
        {download.state === 'downloading' && (
          <button type="button" data-testid="omniglot-cancel" onClick={() => client.current?.cancelDownload()}>
            {t('charsCancel')}
          </button>
        )}
        <label className="button">
          {t('charsPickZips')}
          <input
            type="file"
            accept=".zip,application/zip"
            multiple
            className="sr-only"
            data-testid="omniglot-file"
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              if (files.length > 0) onFiles(files);
              e.target.value = '';
            }}
          />
        </label>
      </div>
      <div className="progress-row" hidden={download.state === 'idle'}>
        <progress data-testid="omniglot-progress" data-state={download.state} max={100} value={pct} aria-label={t('charsDownloadProgress')} />
        <span className="muted" data-testid="omniglot-progress-text">
          {download.state === 'downloading'
            ? t('charsDownloading', { mb: (download.loaded / MB).toFixed(1), pct })
            : download.state === 'decoding'
              ? t('charsDecoding', { file: download.file })
              : download.state === 'done'
                ? t('charsDownloadDone')
                : download.state === 'error'
                  ? t('charsDownloadError')
                  : ''}
        </span>
      </div>
      <p className="help">{t('charsDropHint')}</p>
      {ds && (
        <p className="help" data-testid="omniglot-status" data-cached={cached.length > 0 ? 'true' : 'false'} data-origin={omniglot.origin ?? ''}>
          {t('charsOmniglotLoaded', { files: omniglot.archives.join(', ') || '—' })}{' '}
          {cached.length > 0 ? t('charsOmniglotCached') : t('charsOmniglotNotCached')}
        </p>
      )}
      {ds && (
        <button type="button" data-testid="omniglot-forget" onClick={() => client.current?.forgetOmniglot()}>
          {t('charsForgetOmniglot')}
        </button>
      )}
    </section>
  );
}
