import { useMemo } from 'react';
import { create } from 'zustand';
import { LOCALES, en, format, type Locale, type MessageKey } from '../i18n/messages';

/** App-wide UI state: language, presentation mode and the notice list. Each lab has its own store. */
export interface Notice {
  id: number;
  level: 'info' | 'warning' | 'error';
  key: MessageKey;
  params?: Record<string, string | number>;
}

interface AppState {
  locale: Locale;
  presentation: boolean;
  notices: Notice[];
  setLocale: (l: Locale) => void;
  togglePresentation: () => void;
  notify: (n: Omit<Notice, 'id'>) => void;
  dismiss: (id: number) => void;
}

const stored = (key: string): string | null => {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
};
const store = (key: string, value: string) => {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // private mode: settings simply are not remembered
  }
};

function initialLocale(): Locale {
  const fromUrl = new URLSearchParams(window.location.search).get('lang');
  const saved = fromUrl ?? stored('metaplay.locale');
  if (saved && saved in LOCALES) return saved as Locale;
  const nav = (navigator.language || 'en').slice(0, 2);
  return nav in LOCALES ? (nav as Locale) : 'en';
}

let nextId = 1;

export const useApp = create<AppState>((set) => ({
  locale: initialLocale(),
  presentation: new URLSearchParams(window.location.search).has('present') || stored('metaplay.presentation') === '1',
  notices: [],
  setLocale: (locale) => {
    store('metaplay.locale', locale);
    set({ locale });
  },
  togglePresentation: () =>
    set((s) => {
      store('metaplay.presentation', s.presentation ? '0' : '1');
      return { presentation: !s.presentation };
    }),
  notify: (n) =>
    set((s) => {
      // The same message twice in a row is shown once.
      const last = s.notices.at(-1);
      if (last && last.key === n.key && JSON.stringify(last.params) === JSON.stringify(n.params)) return s;
      return { notices: [...s.notices.slice(-4), { ...n, id: nextId++ }] };
    }),
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
}));

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** The translation function of the current language (English for anything missing). */
export function useT(): Translate {
  const locale = useApp((s) => s.locale);
  return useMemo(() => {
    const catalog = LOCALES[locale].catalog;
    return (key, params) => format(catalog[key] ?? en[key], params);
  }, [locale]);
}
