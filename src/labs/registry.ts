import { lazy, type ComponentType } from 'react';
import type { MessageKey } from '../i18n/messages';

/** Every lab: its hash route, its name in the navigation, and its page (loaded on demand). */
export interface LabEntry {
  path: string;
  title: MessageKey;
  page: ComponentType<{ params: URLSearchParams }>;
}

export const LABS: LabEntry[] = [
  { path: '/sine', title: 'navSine', page: lazy(() => import('./sine/SineLab')) },
  { path: '/characters', title: 'navCharacters', page: lazy(() => import('./characters/CharactersLab')) },
  { path: '/memory', title: 'navMemory', page: lazy(() => import('./memory/MemoryLab')) },
  { path: '/metric', title: 'navMetric', page: lazy(() => import('./metric/MetricLab')) },
  { path: '/landscape', title: 'navLandscape', page: lazy(() => import('./landscape/LandscapeLab')) },
  { path: '/diagnostics', title: 'navDiagnostics', page: lazy(() => import('./diagnostics/DiagnosticsLab')) },
];

export const DEFAULT_LAB = '/sine';
