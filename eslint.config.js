import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import boundaries from 'eslint-plugin-boundaries';
import globals from 'globals';

/**
 * The layers of src/, each importing only downwards (docs/architecture.md, "Layers"):
 *   engine ← i18n ← worker ← ui ← labs ← app (src/main.tsx, src/App.tsx),   cli → engine, i18n.
 * Inside the engine: core ← tasks ← models ← algorithms ← methods (the registry) ← landscape, and settings (the schema,
 * no tfjs) sits just above core. A file in no folder listed here counts as `app`: a new folder
 * of src/ gets its own element here, in its place in the order.
 */
const ENGINE_LAYERS = ['core', 'settings', 'tasks', 'models', 'algorithms', 'methods', 'landscape'];
const engine = (layer) => `engine-${layer}`;
const ALL_ENGINE = ENGINE_LAYERS.map(engine);

/** The element types each element may import, itself included. Type-only imports obey the same rules. */
const MAY_IMPORT = {
  [engine('core')]: [engine('core')],
  [engine('settings')]: [engine('core'), engine('settings')],
  [engine('tasks')]: [engine('core'), engine('settings'), engine('tasks')],
  [engine('models')]: [engine('core'), engine('settings'), engine('tasks'), engine('models')],
  [engine('algorithms')]: [engine('core'), engine('settings'), engine('tasks'), engine('models'), engine('algorithms')],
  // The method registry gathers every family's descriptors (engine/methods).
  [engine('methods')]: [engine('core'), engine('settings'), engine('tasks'), engine('models'), engine('algorithms'), engine('methods')],
  [engine('landscape')]: ALL_ENGINE,
  i18n: ['i18n'],
  worker: [...ALL_ENGINE, 'i18n', 'worker'],
  ui: [...ALL_ENGINE, 'i18n', 'worker', 'ui'],
  labs: [...ALL_ENGINE, 'i18n', 'worker', 'ui', 'labs'],
  cli: [...ALL_ENGINE, 'i18n', 'cli'],
  app: [...ALL_ENGINE, 'i18n', 'worker', 'ui', 'labs', 'app'],
};

const layers = {
  files: ['src/**/*.{ts,tsx}'],
  plugins: { boundaries },
  settings: {
    // Relative imports without an extension name .ts/.tsx files; the node resolver finds them.
    'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] } },
    'boundaries/elements': [
      ...ENGINE_LAYERS.map((layer) => ({ type: engine(layer), pattern: `src/engine/${layer}`, partialMatch: false })),
      ...['i18n', 'worker', 'ui', 'labs', 'cli'].map((type) => ({ type, pattern: `src/${type}`, partialMatch: false })),
      // The entry files at the root of src/ (main.tsx). Listed last: the first element that matches a
      // file wins, so this one only takes what no folder above took.
      { type: 'app', pattern: 'src', partialMatch: false },
    ],
  },
  rules: {
    'boundaries/dependencies': [
      'error',
      {
        default: 'disallow',
        message: 'layers point down: {{from.type}} may not import {{to.type}} (docs/architecture.md, "Layers")',
        policies: Object.entries(MAY_IMPORT).map(([from, to]) => ({
          from: { element: { type: from } },
          allow: { to: { element: { types: { anyOf: to } } } },
        })),
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', 'tmp'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.worker } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'CallExpression[callee.property.name="only"]', message: 'focused tests hide the rest of the suite' },
      ],
    },
  },
  {
    // React rules only where React lives (elsewhere a function named use… is not a hook).
    files: ['src/ui/**/*.{ts,tsx}', 'src/labs/**/*.{ts,tsx}', 'src/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // The engine runs in Node and in a worker: no DOM, no React (its imports of src/ are the layers' job).
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['react', 'react-dom'] }],
    },
  },
  layers,
);
