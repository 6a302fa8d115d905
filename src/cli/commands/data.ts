import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import {
  checkOmniglotFileSize,
  contentHash,
  datasetStats,
  DEFAULT_SYNTHETIC_CONFIG,
  EpisodeSampler,
  generateSyntheticDataset,
  locateOmniglotPath,
  omniglotDataset,
  OmniglotFormatError,
  readOmniglotFiles,
  readOmniglotZip,
  withRotations,
  type AlphabetMode,
  type CharacterDataset,
  type OmniglotArchive,
  type OmniglotFile,
  type Split,
} from '../../engine/tasks/characters';
import { choiceFlag, numberFlag, parseFlags, progress, UsageError } from '../args';

const FLAGS = {
  source: { type: 'string' },
  data: { type: 'string', multiple: true },
  seed: { type: 'string' },
  alphabets: { type: 'string' },
  characters: { type: 'string' },
  drawers: { type: 'string' },
  size: { type: 'string' },
  rotate: { type: 'boolean' },
  episodes: { type: 'string' },
  way: { type: 'string' },
  shot: { type: 'string' },
  query: { type: 'string' },
  mode: { type: 'string' },
  split: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const DATA_USAGE = `metaplay data [--source synthetic|omniglot] [--data PATH …] [--seed S] [--json]
    synthetic: [--alphabets A] [--characters C] [--drawers D]     (default 30 × 20 × 20)
    omniglot:  --data PATH (an Omniglot zip or unzipped folder; repeat for several)
    both:      [--size 28|20] [--rotate] (add 90/180/270° classes)
               [--episodes E [--way N] [--shot K] [--query Q] [--mode between|within] [--split background|evaluation]]
  Prints counts (alphabets, characters, images) and a content hash; a zip that is corrupt or not
  Omniglot is refused with its reason and the rest is still loaded (exit status 1).`;

const SOURCES = ['synthetic', 'omniglot'] as const;

/**
 * Reads the Omniglot PNGs and stroke texts under a folder, with paths that start at the folder's own
 * name. Each Omniglot file is refused by its size on disk before it is read, so a crafted file cannot
 * fill memory; other files are passed on unread (with no bytes) for the reader to count as ignored.
 */
function* folderFiles(root: string, name: string): Generator<OmniglotFile> {
  const base = dirname(resolve(root));
  const walk = function* (dir: string): Generator<OmniglotFile> {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith('.') || entry.name === '__MACOSX') continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) yield* walk(full);
      else if (/\.(png|txt)$/i.test(entry.name)) {
        const path = relative(base, full).split(sep).join('/');
        if (!locateOmniglotPath(path, { name })) {
          yield { path, bytes: new Uint8Array(0) };
          continue;
        }
        checkOmniglotFileSize(`${name}: ${path}`, statSync(full).size);
        yield { path, bytes: readFileSync(full) };
      }
    }
  };
  yield* walk(resolve(root));
}

/** One --data path: a zip file or a folder. Throws OmniglotFormatError (or a file-system error) when it cannot be used. */
export function readOmniglotPath(path: string, imageSize: number): OmniglotArchive {
  const st = statSync(path);
  const name = basename(resolve(path));
  if (st.isDirectory()) return readOmniglotFiles(folderFiles(path, name), { imageSize, name });
  return readOmniglotZip(new Uint8Array(readFileSync(path)), { imageSize, name: basename(path) });
}

/** `metaplay data`: loads or generates a character data set and prints its counts and content hash. */
export async function dataCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(`usage: ${DATA_USAGE}`);
    return 0;
  }
  const { values } = parseFlags(argv, FLAGS);
  const paths = values.data ?? [];
  const source = choiceFlag(values, 'source', SOURCES, paths.length > 0 ? 'omniglot' : 'synthetic');
  if (source === 'synthetic' && paths.length > 0) throw new UsageError('--data only applies to --source omniglot');
  if (source === 'omniglot' && paths.length === 0) throw new UsageError('--source omniglot needs at least one --data PATH (a zip or a folder)');
  if (source === 'omniglot')
    for (const f of ['alphabets', 'characters', 'drawers'] as const)
      if (values[f] !== undefined) throw new UsageError(`--${f} only applies to --source synthetic`);
  const seed = numberFlag(values, 'seed', 0, { min: 0, max: 2 ** 32 - 1, integer: true });
  const size = Number(choiceFlag(values, 'size', ['28', '20'] as const, '28'));
  const episodes = numberFlag(values, 'episodes', 0, { min: 0, max: 1_000_000, integer: true });
  for (const f of ['way', 'shot', 'query', 'mode', 'split'] as const)
    if (values[f] !== undefined && episodes === 0) throw new UsageError(`--${f} needs --episodes E`);

  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let dataset: CharacterDataset;
  const loaded: { path: string; sets: string[]; images: number; strokes: number; seconds: number }[] = [];
  const refused: { path: string; error: string }[] = [];
  if (source === 'synthetic') {
    const config = {
      ...DEFAULT_SYNTHETIC_CONFIG,
      seed,
      alphabets: numberFlag(values, 'alphabets', DEFAULT_SYNTHETIC_CONFIG.alphabets, { min: 1, max: 10_000, integer: true }),
      charactersPerAlphabet: numberFlag(values, 'characters', DEFAULT_SYNTHETIC_CONFIG.charactersPerAlphabet, { min: 1, max: 10_000, integer: true }),
      drawersPerCharacter: numberFlag(values, 'drawers', DEFAULT_SYNTHETIC_CONFIG.drawersPerCharacter, { min: 1, max: 10_000, integer: true }),
      imageSize: size,
    };
    const total = config.alphabets * config.charactersPerAlphabet * config.drawersPerCharacter;
    if (total > 2_000_000) throw new UsageError(`${total} images is too many (at most 2 000 000)`);
    progress(`generating ${config.alphabets} alphabets × ${config.charactersPerAlphabet} characters × ${config.drawersPerCharacter} drawers (seed ${seed})`);
    dataset = generateSyntheticDataset(config);
  } else {
    const archives: OmniglotArchive[] = [];
    for (const path of paths) {
      const t = performance.now();
      try {
        const a = readOmniglotPath(path, size);
        archives.push(a);
        const entry = { path, sets: a.sets, images: a.images.length, strokes: a.strokes.length, seconds: round((performance.now() - t) / 1000, 3) };
        loaded.push(entry);
        progress(`loaded ${path}: ${entry.images} images, ${entry.strokes} stroke files (${a.sets.join(', ')})`);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (!(e instanceof OmniglotFormatError) && !err.code) throw e;
        const error = e instanceof OmniglotFormatError ? e.message : `cannot read ${path}: ${err.message}`;
        refused.push({ path, error });
        progress(`refused ${path}: ${error}`);
      }
    }
    if (archives.length === 0) {
      progress('metaplay: no Omniglot data could be loaded');
      if (values.json) console.log(JSON.stringify({ source, error: 'no Omniglot data could be loaded', refused }));
      return 1;
    }
    dataset = omniglotDataset(archives);
  }
  if (values.rotate) dataset = withRotations(dataset);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const stats = datasetStats(dataset);
  const hash = contentHash(dataset);

  let episodeResult: Record<string, unknown> | undefined;
  if (episodes > 0) {
    const split = choiceFlag(values, 'split', ['background', 'evaluation'] as const, 'background') as Split;
    const spec = {
      nWay: numberFlag(values, 'way', 5, { min: 1, max: 10_000, integer: true }),
      kShot: numberFlag(values, 'shot', 1, { min: 1, max: 10_000, integer: true }),
      qQuery: numberFlag(values, 'query', 15, { min: 0, max: 10_000, integer: true }),
      mode: choiceFlag(values, 'mode', ['between', 'within'] as const, 'between') as AlphabetMode,
      split,
    };
    let sampler: EpisodeSampler;
    try {
      sampler = new EpisodeSampler(dataset, spec, seed);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const te = performance.now();
    const ce = process.cpuUsage();
    for (let i = 0; i < episodes; i++) sampler.next();
    const ms = (performance.now() - te) / episodes;
    const c = process.cpuUsage(ce);
    const cpuMs = (c.user + c.system) / 1000 / episodes;
    episodeResult = {
      count: episodes,
      way: spec.nWay,
      shot: spec.kShot,
      query: spec.qQuery,
      mode: spec.mode,
      split,
      ms_per_episode: round(ms, 4),
      cpu_ms_per_episode: round(cpuMs, 4),
    };
  }

  const result = {
    source,
    alphabets: stats.alphabets,
    characters: stats.characters,
    images: stats.images,
    background: stats.background,
    evaluation: stats.evaluation,
    with_strokes: stats.withStrokes,
    image_size: dataset.imageSize,
    rotations: values.rotate === true,
    seed: source === 'synthetic' ? seed : undefined,
    hash,
    seconds: round(seconds, 3),
    cpu_seconds: round(cpuSeconds, 3),
    loaded: source === 'omniglot' ? loaded : undefined,
    refused: source === 'omniglot' ? refused : undefined,
    episodes: episodeResult,
  };
  if (values.json) console.log(JSON.stringify(result));
  else {
    const c = (x: { alphabets: number; characters: number; images: number }) => `${x.alphabets} alphabets, ${x.characters} characters, ${x.images} images`;
    console.log(`${source}: ${c(stats)} (${dataset.imageSize}×${dataset.imageSize}${values.rotate ? ', with rotations' : ''}) in ${result.seconds}s (${result.cpu_seconds}s CPU)`);
    console.log(`  background: ${c(stats.background)}`);
    console.log(`  evaluation: ${c(stats.evaluation)}`);
    if (stats.withStrokes > 0) console.log(`  with strokes: ${stats.withStrokes} images`);
    console.log(`  content hash: ${hash}`);
    if (episodeResult)
      console.log(`  ${episodes} episodes (${episodeResult.way}-way ${episodeResult.shot}-shot, ${episodeResult.query} queries, ${episodeResult.mode}, ${episodeResult.split}): ${episodeResult.ms_per_episode} ms each`);
    for (const r of refused) console.log(`  refused ${r.path}: ${r.error}`);
  }
  return refused.length > 0 ? 1 : 0;
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
