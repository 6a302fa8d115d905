import { UsageError } from './args';
import { SettingError } from '../engine/settings/schema';
import { trainCommand, TRAIN_TARGETS } from './commands/train';
import { dataCommand } from './commands/data';
import { gradcheckCommand } from './commands/gradcheck';
import { benchOpsCommand } from './commands/benchOps';
import { evalCommand } from './commands/metricTrain';
import { classifyCommand } from './commands/metricClassify';

/** The `metaplay` command: a Node host of the same engine the browser worker runs. */
type Command = { summary: string; run: (argv: string[]) => Promise<number> };

export const COMMANDS: Record<string, Command> = {
  train: { summary: 'meta-train an algorithm and evaluate it (see each algorithm\'s flags)', run: trainCommand },
  data: { summary: 'load Omniglot zips or generate synthetic alphabets; print counts and a content hash (data --help)', run: dataCommand },
  gradcheck: { summary: 'check first and second derivatives of the second-order-safe ops against float64 finite differences', run: gradcheckCommand },
  eval: { summary: 'few-shot accuracy ± ci95 of a metric-family checkpoint on unseen classes (eval --checkpoint FILE …)', run: evalCommand },
  classify: { summary: 'classify query images from support folders with a metric checkpoint or a baseline (classify --help)', run: classifyCommand },
  'bench-ops': { summary: 'time second- vs first-order MAML meta-gradients of the 4-block conv net', run: benchOpsCommand },
};

function usage(): string {
  const lines = ['usage: metaplay <command> [flags]', '', 'commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
  lines.push('', 'train targets:');
  const seen = new Set<string>();
  for (const t of Object.values(TRAIN_TARGETS)) {
    if (seen.has(t.usage)) continue;
    seen.add(t.usage);
    lines.push(`  ${t.usage}`);
  }
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command "${name}"`);
    return await command.run(rest);
  } catch (e) {
    if (e instanceof UsageError || e instanceof SettingError) {
      process.stderr.write(`metaplay: ${e.message}\nRun "metaplay --help" for usage.\n`);
      return 2;
    }
    process.stderr.write(`metaplay: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}
