import { Equation } from '../../ui/components/Equation';
import { INEQUALITY_TEX } from '../../ui/components/inequalityMeasures';
import type { MessageKey } from '../../i18n/messages';
import type { Translate } from '../../ui/store';
import type { SineSettings } from '../../worker/sineProtocol';

type Eq = { tex: string; text: MessageKey };

const GA_WEIGHTS = String.raw`w_i = \frac{\sum_j g_i^{\top} g_j}{\sum_k \big|\sum_j g_k^{\top} g_j\big|}`;
const MAML_INNER: Eq = { tex: String.raw`\theta'_i = \theta - \alpha \nabla_\theta \mathcal{L}^{\text{support}}_{\mathcal{T}_i}(\theta)`, text: 'eqInner' };
const MAML_OUTER: Eq = {
  tex: String.raw`\theta \leftarrow \theta - \beta \nabla_\theta \sum_i \mathcal{L}^{\text{query}}_{\mathcal{T}_i}\big(\theta - \alpha \nabla_\theta \mathcal{L}^{\text{support}}_{\mathcal{T}_i}(\theta)\big)`,
  text: 'eqOuter',
};
const FO_OUTER: Eq = { tex: String.raw`\theta \leftarrow \theta - \beta \sum_i \nabla_{\theta'_i} \mathcal{L}^{\text{query}}_{\mathcal{T}_i}(\theta'_i)`, text: 'eqOuterFirstOrder' };

/** Each algorithm's inner step, outer step and (for some) one more equation. */
function equations(s: Pick<SineSettings, 'algorithm' | 'firstOrder' | 'reptileMode' | 'tamlMeasure'>): { inner: Eq; outer: Eq; extra?: Eq } {
  switch (s.algorithm) {
    case 'maml':
      return { inner: MAML_INNER, outer: s.firstOrder ? FO_OUTER : MAML_OUTER };
    case 'fomaml':
      return { inner: MAML_INNER, outer: FO_OUTER };
    case 'reptile':
      return {
        inner: { tex: String.raw`\theta'_i = \theta - \alpha\,(g_1 + g_2 + \dots + g_k)`, text: 'eqInnerReptile' },
        outer:
          s.reptileMode === 'serial'
            ? { tex: String.raw`\text{for each } \mathcal{T}_i:\; \theta \leftarrow \theta + \epsilon\,(\theta'_i - \theta)`, text: 'eqOuterReptileSerial' }
            : { tex: String.raw`\theta \leftarrow \theta + \epsilon\, \tfrac1n \textstyle\sum_i (\theta'_i - \theta)`, text: 'eqOuterReptile' },
      };
    case 'reptile-ga':
      return {
        inner: { tex: String.raw`\theta'_i = \theta - \alpha\,(g_1 + g_2 + \dots + g_k)`, text: 'eqInnerReptile' },
        outer: { tex: String.raw`\theta \leftarrow \theta - \epsilon \textstyle\sum_i w_i\,(\theta - \theta'_i)`, text: 'eqOuterReptileGa' },
        extra: { tex: GA_WEIGHTS, text: 'eqGaWeights' },
      };
    case 'metasgd':
      return {
        inner: { tex: String.raw`\theta'_i = \theta - \boldsymbol{\alpha} \circ \nabla_\theta \mathcal{L}^{\text{support}}_{\mathcal{T}_i}(\theta)`, text: 'eqInnerMetaSgd' },
        outer: { tex: String.raw`(\theta, \boldsymbol{\alpha}) \leftarrow (\theta, \boldsymbol{\alpha}) - \beta \nabla_{(\theta, \boldsymbol{\alpha})} \sum_i \mathcal{L}^{\text{query}}_{\mathcal{T}_i}(\theta'_i)`, text: 'eqOuterMetaSgd' },
        extra: { tex: String.raw`\nabla_{\boldsymbol{\alpha}} \mathcal{L}^{\text{query}}(\theta'_i) = -\nabla \mathcal{L}^{\text{query}}(\theta'_i) \circ \nabla \mathcal{L}^{\text{support}}(\theta)`, text: 'eqMetaSgdAlphaGrad' },
      };
    case 'caml':
      return {
        inner: { tex: String.raw`\phi_i = \mathbf{0} - \alpha_{\text{ctx}} \nabla_\phi \mathcal{L}^{\text{support}}_{\mathcal{T}_i}(\theta, \phi)\big|_{\phi = \mathbf{0}}`, text: 'eqInnerCaml' },
        outer: { tex: String.raw`\theta \leftarrow \theta - \beta \nabla_\theta \sum_i \mathcal{L}^{\text{query}}_{\mathcal{T}_i}(\theta, \phi_i)`, text: 'eqOuterCaml' },
      };
    case 'maml-ga':
      return {
        inner: MAML_INNER,
        outer: { tex: String.raw`\theta \leftarrow \theta - \beta \textstyle\sum_i w_i\, g_i, \quad g_i = \nabla_\theta \mathcal{L}^{\text{query}}_{\mathcal{T}_i}(\theta'_i)`, text: 'eqOuterMamlGa' },
        extra: { tex: GA_WEIGHTS, text: 'eqGaWeights' },
      };
    case 'taml':
      return {
        inner: MAML_INNER,
        outer: {
          tex: String.raw`\theta \leftarrow \theta - \beta \nabla_\theta \Big[\tfrac1n \textstyle\sum_i \mathcal{L}^{\text{query}}_{\mathcal{T}_i}(\theta'_i) + \lambda\, I\big(\{\mathcal{L}^{\text{support}}_{\mathcal{T}_i}(\theta)\}_i\big)\Big]`,
          text: 'eqOuterTaml',
        },
        extra: { tex: INEQUALITY_TEX[s.tamlMeasure], text: 'eqTamlMeasure' },
      };
    case 'daml':
      return {
        inner: { tex: String.raw`\theta'_i = \theta - \alpha \nabla_\theta \big\| h_\psi\big(f_\theta(x^{\text{demo}}_i),\, a_\theta(x^{\text{demo}}_i)\big) \big\|^2`, text: 'eqInnerDaml' },
        outer: { tex: String.raw`(\theta, \psi) \leftarrow (\theta, \psi) - \beta \nabla_{(\theta, \psi)} \sum_i \mathcal{L}^{\text{query}}_{\mathcal{T}_i}(\theta'_i)`, text: 'eqOuterDaml' },
      };
  }
}

/** The sine lab's equations for the selected algorithm; the one being computed or animated now is highlighted. */
export function Explanation({ t, stage, animStep, innerTotal, settings }: { t: Translate; stage: 'idle' | 'outer'; animStep: number; innerTotal: number; settings: Pick<SineSettings, 'algorithm' | 'firstOrder' | 'reptileMode' | 'tamlMeasure'> }) {
  const innerActive = animStep > 0;
  const nowText =
    stage === 'outer' ? t('stageOuter') : innerActive ? t('stageInner', { n: animStep, total: innerTotal }) : t('stageIdle');
  const eqs = equations(settings);
  const items = [
    { id: 'task', active: false, tex: String.raw`\mathcal{T}_i:\; y = A_i \sin(x - \varphi_i)`, text: t('eqTask') },
    { id: 'inner', active: innerActive, tex: eqs.inner.tex, text: t(eqs.inner.text) },
    { id: 'outer', active: stage === 'outer', tex: eqs.outer.tex, text: t(eqs.outer.text) },
    ...(eqs.extra ? [{ id: 'extra', active: stage === 'outer', tex: eqs.extra.tex, text: t(eqs.extra.text) }] : []),
    { id: 'pretrain', active: stage === 'outer', tex: String.raw`\theta_{\text{pre}} \leftarrow \theta_{\text{pre}} - \beta \nabla_\theta \sum_i \mathcal{L}_{\mathcal{T}_i}(\theta_{\text{pre}})`, text: t('eqPretrain') },
  ];
  return (
    <section className="card explanation" data-testid="explanation" data-algorithm={settings.algorithm}>
      <h2>{t('explanationTitle')}</h2>
      <p className="now" data-testid="stage">
        {t('nowComputing', { stage: nowText })}
      </p>
      {items.map((it) => (
        <div key={it.id} className={`eq ${it.active ? 'active' : ''}`} data-eq={it.id} data-active={it.active}>
          <Equation tex={it.tex} />
          <p>{it.text}</p>
        </div>
      ))}
    </section>
  );
}
