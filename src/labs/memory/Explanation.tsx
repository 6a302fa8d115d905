import type { Translate } from '../../ui/store';
import { EquationCard } from './views';

/** The side column's equations: the NTM's addressing and memory updates, and the MANN's least-used-access writes. */
type T = Translate;

export function CopyExplanation({ t }: { t: T }) {
  const items = [
    // softmax_i(·) rather than the fraction: the side column must hold it in presentation mode.
    { id: 'content', tex: String.raw`w^c_t(i) = \operatorname{softmax}_i\big(\beta_t K(\mathbf{k}_t, M_{t-1}(i))\big)`, text: '' },
    { id: 'cosine', tex: String.raw`K(\mathbf{u},\mathbf{v}) = \frac{\mathbf{u}\cdot\mathbf{v}}{\lVert\mathbf{u}\rVert\,\lVert\mathbf{v}\rVert}`, text: t('memEqContent') },
    { id: 'gated', tex: String.raw`\mathbf{w}^g_t = g_t\,\mathbf{w}^c_t + (1 - g_t)\,\mathbf{w}_{t-1}`, text: t('memEqGate') },
    { id: 'shifted', tex: String.raw`\tilde w_t(i) = \sum_{j} w^g_t(j)\, s_t(i - j)`, text: t('memEqShift') },
    { id: 'sharpened', tex: String.raw`w_t(i) = \frac{\tilde w_t(i)^{\gamma_t}}{\sum_j \tilde w_t(j)^{\gamma_t}}`, text: t('memEqSharpen') },
    { id: 'read', tex: String.raw`\mathbf{r}_t = \sum_i w^r_t(i)\, M_{t-1}(i)`, text: t('memEqRead') },
    { id: 'erase', tex: String.raw`\tilde M_t(i) = M_{t-1}(i)\big[\mathbf{1} - w^w_t(i)\,\mathbf{e}_t\big]`, text: '' },
    { id: 'write', tex: String.raw`M_t(i) = \tilde M_t(i) + w^w_t(i)\,\mathbf{a}_t`, text: t('memEqWrite') },
  ];
  return <EquationCard title={t('explanationTitle')} intro={t('memEqIntro')} items={items} testId="explanation" />;
}

export function MannExplanation({ t }: { t: T }) {
  const items = [
    { id: 'usage', tex: String.raw`\mathbf{w}^u_t = \gamma\, \mathbf{w}^u_{t-1} + \mathbf{w}^r_t + \mathbf{w}^w_t`, text: t('memMannEqUsage') },
    { id: 'lu', tex: String.raw`w^{lu}_t(i) = \begin{cases} 0 & w^u_t(i) > m(\mathbf{w}^u_t, n) \\ 1 & \text{otherwise} \end{cases}`, text: t('memMannEqLeastUsed') },
    { id: 'write-weights', tex: String.raw`\mathbf{w}^w_t = \sigma(\alpha)\, \mathbf{w}^r_{t-1} + \big(1 - \sigma(\alpha)\big)\, \mathbf{w}^{lu}_{t-1}`, text: '' },
    { id: 'write', tex: String.raw`M_t(i) = M_{t-1}(i) + w^w_t(i)\, \mathbf{k}_t`, text: t('memMannEqWrite') },
    { id: 'read-weights', tex: String.raw`w^r_t(i) = \operatorname{softmax}_i\big(\beta\, K(\mathbf{k}_t, M_t(i))\big)`, text: '' },
    { id: 'read', tex: String.raw`\mathbf{r}_t = \sum_i w^r_t(i)\, M_t(i)`, text: t('memMannEqRead') },
  ];
  return <EquationCard title={t('explanationTitle')} intro={t('memMannEqIntro')} items={items} testId="mann-explanation" />;
}
