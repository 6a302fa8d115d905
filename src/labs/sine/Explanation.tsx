import { Equation } from '../../ui/components/Equation';
import type { Translate } from '../../ui/store';

/** The sine lab's equations; the one being computed or animated now is highlighted. */
export function Explanation({ t, stage, animStep, innerTotal, firstOrder }: { t: Translate; stage: 'idle' | 'outer'; animStep: number; innerTotal: number; firstOrder: boolean }) {
  const innerActive = animStep > 0;
  const nowText =
    stage === 'outer' ? t('stageOuter') : innerActive ? t('stageInner', { n: animStep, total: innerTotal }) : t('stageIdle');
  const items = [
    { id: 'task', active: false, tex: String.raw`\mathcal{T}_i:\; y = A_i \sin(x - \varphi_i)`, text: t('eqTask') },
    { id: 'inner', active: innerActive, tex: String.raw`\theta'_i = \theta - \alpha \nabla_\theta \mathcal{L}^{\text{support}}_{\mathcal{T}_i}(\theta)`, text: t('eqInner') },
    {
      id: 'outer',
      active: stage === 'outer',
      tex: firstOrder
        ? String.raw`\theta \leftarrow \theta - \beta \sum_i \nabla_{\theta'_i} \mathcal{L}^{\text{query}}_{\mathcal{T}_i}(\theta'_i)`
        : String.raw`\theta \leftarrow \theta - \beta \nabla_\theta \sum_i \mathcal{L}^{\text{query}}_{\mathcal{T}_i}\big(\theta - \alpha \nabla_\theta \mathcal{L}^{\text{support}}_{\mathcal{T}_i}(\theta)\big)`,
      text: firstOrder ? t('eqOuterFirstOrder') : t('eqOuter'),
    },
    { id: 'pretrain', active: stage === 'outer', tex: String.raw`\theta_{\text{pre}} \leftarrow \theta_{\text{pre}} - \beta \nabla_\theta \sum_i \mathcal{L}_{\mathcal{T}_i}(\theta_{\text{pre}})`, text: t('eqPretrain') },
  ];
  return (
    <section className="card explanation" data-testid="explanation">
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
