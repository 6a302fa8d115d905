import { Suspense, useEffect, useRef, useState } from 'react';
import { DEFAULT_LAB, LABS } from './labs/registry';
import { LOCALES, type Locale } from './i18n/messages';
import { Notices } from './ui/components/Notices';
import { parseHash, type Route } from './ui/route';
import { useApp, useT } from './ui/store';

/** The app shell: header, navigation, notices, and the lab of the current hash route. */
export function App() {
  const t = useT();
  const { locale, setLocale, presentation, togglePresentation, notify } = useApp();
  const [route, setRoute] = useState<Route>(() => parseHash(window.location.hash));
  // In presentation mode the navigation shows only the current lab until unfolded, so the chrome is one line.
  const [navOpen, setNavOpen] = useState(false);
  const navFolded = presentation && !navOpen;
  const main = useRef<HTMLElement>(null);

  useEffect(() => {
    const onHash = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.documentElement.dir = LOCALES[locale].dir;
    document.title = t('appTitle');
  }, [locale, t]);

  useEffect(() => {
    document.documentElement.classList.toggle('presentation', presentation);
  }, [presentation]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.target as HTMLElement).closest('input, select, textarea')) return;
      if ((e.key === 'p' || e.key === 'P') && !e.ctrlKey && !e.metaKey && !e.altKey) togglePresentation();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [togglePresentation]);

  const lab = LABS.find((l) => l.path === route.path);
  useEffect(() => {
    if (lab) return;
    if (route.path !== '/') notify({ level: 'warning', key: 'noticeUnknownRoute', params: { route: route.path.slice(0, 40) } });
    window.location.replace(`#${DEFAULT_LAB}`);
  }, [lab, route.path, notify]);

  const Page = lab?.page;
  return (
    <div className="app">
      {/* The routes live in the hash, so the skip link moves focus itself rather than following an anchor. */}
      <a
        href="#lab"
        className="skip-link"
        data-testid="skip-link"
        onClick={(e) => {
          e.preventDefault();
          main.current?.focus();
        }}
      >
        {t('skipToLab')}
      </a>
      <header className="app-header">
        <div className="brand">
          <span className="logo" aria-hidden="true">
            ∇∇
          </span>
          <div>
            <h1>{t('appTitle')}</h1>
            <p className="tagline">{t('appTagline')}</p>
          </div>
        </div>
        <nav id="lab-nav" aria-label={t('labsNav')} className={navFolded ? 'folded' : undefined}>
          {LABS.map((l) => (
            <a key={l.path} href={`#${l.path}`} className={l.path === route.path ? 'active' : undefined} aria-current={l.path === route.path ? 'page' : undefined}>
              {t(l.title)}
            </a>
          ))}
        </nav>
        {presentation && (
          <button type="button" className="nav-toggle" data-testid="nav-toggle" aria-expanded={navOpen} aria-controls="lab-nav" onClick={() => setNavOpen(!navOpen)}>
            {t('labsNav')} <span aria-hidden="true">{navOpen ? '▴' : '▾'}</span>
          </button>
        )}
        <div className="header-tools">
          <select value={locale} onChange={(e) => setLocale(e.target.value as Locale)} aria-label={t('language')} data-testid="language">
            {(Object.keys(LOCALES) as Locale[]).map((l) => (
              <option key={l} value={l}>
                {LOCALES[l].name}
              </option>
            ))}
          </select>
          <button type="button" onClick={togglePresentation} data-testid="presentation" aria-pressed={presentation} title="P">
            {presentation ? t('presentationOff') : t('presentation')}
          </button>
        </div>
      </header>
      <Notices />
      <main id="lab" ref={main} tabIndex={-1}>
        {Page && (
          <Suspense fallback={<div className="card">…</div>}>
            <Page key={route.path} params={route.params} />
          </Suspense>
        )}
      </main>
      <footer>
        <span>{t('footer')}</span> · <span>{t('shortcuts')}</span>
      </footer>
    </div>
  );
}
