/** Learned optimisers (issue #13): the LSTM optimiser's settings. */
export const en = {
  optSettingUnroll: 'unroll (optimisee steps per meta-update)',
  optSettingHorizon: 'horizon (optimisee steps per run)',
  optSettingPreprocess: 'gradient input: log-magnitude and sign, or raw',
  optSettingSecondOrder: 'second order (differentiate through the optimisee’s gradient)',
  optSettingMetaLr: 'meta learning rate (Adam)',
  optSettingBatch: 'functions per meta-update',
} as const;

export const zh: Record<keyof typeof en, string> = {
  optSettingUnroll: '展开步数（每次元更新的被优化者步数）',
  optSettingHorizon: '优化长度（每轮被优化者的总步数）',
  optSettingPreprocess: '梯度输入：对数幅值与符号，或原始梯度',
  optSettingSecondOrder: '二阶（对被优化者的梯度也求导）',
  optSettingMetaLr: '元学习率（Adam）',
  optSettingBatch: '每次元更新的函数数',
};

export const fa: Record<keyof typeof en, string> = {
  optSettingUnroll: 'طول باز کردن (گام‌های بهینه‌شونده در هر به‌روزرسانی متا)',
  optSettingHorizon: 'افق (گام‌های بهینه‌شونده در هر اجرا)',
  optSettingPreprocess: 'ورودی گرادیان: لگاریتم اندازه و علامت، یا خام',
  optSettingSecondOrder: 'مرتبه دوم (مشتق‌گیری از گرادیان بهینه‌شونده نیز)',
  optSettingMetaLr: 'نرخ یادگیری متا (Adam)',
  optSettingBatch: 'تابع در هر به‌روزرسانی متا',
};
