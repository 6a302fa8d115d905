import type { MessageKey } from '../../i18n/messages';
import type { LandscapeAlgorithm } from '../../engine/landscape/landscape';

/** Each algorithm's name on the page (legend, settings, results); its colour is draw.ts's ALG_COLORS. */
export const ALG_NAME: Record<LandscapeAlgorithm, MessageKey> = {
  pretrain: 'pretrain',
  fomaml: 'fomaml',
  maml: 'maml',
  reptile: 'algReptile',
  metasgd: 'algMetaSgd',
  'maml-ga': 'algMamlGa',
};
