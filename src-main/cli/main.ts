// The `ebm-hep` command: parses the sub-command and dispatches to one module per command in commands/.
// Errors that reach here are printed as one clear line (plus a hint) on stderr; exit code 1.
import { UserError } from '../util/errors.ts';

export interface CommandContext {
  /** Arguments after the sub-command name. */
  argv: string[];
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface Command {
  /** One line shown in `ebm-hep --help`. */
  summary: string;
  /** Full usage text shown by `ebm-hep <cmd> --help`. */
  usage: string;
  run(ctx: CommandContext): Promise<number>;
}

/** Sub-commands, loaded lazily so `ebm-hep inspect` does not load tfjs. One line per command. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./commands/serve.ts')).default,
  runs: async () => (await import('./commands/runs.ts')).default,
  eval: async () => (await import('./commands/eval.ts')).default,
  score: async () => (await import('./commands/score.ts')).default,
  inspect: async () => (await import('./commands/inspect.ts')).default,
  import: async () => (await import('./commands/import.ts')).default,
  train: async () => (await import('./commands/train.ts')).default,
  sample: async () => (await import('./commands/sample.ts')).default,
};

function help(): string {
  const lines = ['usage: ebm-hep <command> [options]', '', 'commands:'];
  return lines.concat(Object.keys(COMMANDS).map((c) => `  ${c}`), '', 'Run `ebm-hep <command> --help` for its options.').join('\n');
}

export async function main(args: string[], stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr): Promise<number> {
  const [name, ...rest] = args;
  if (!name || name === '--help' || name === '-h') {
    stdout.write(help() + '\n');
    return name ? 0 : 1;
  }
  const load = COMMANDS[name];
  if (!load) {
    stderr.write(`ebm-hep: unknown command '${name}'\n${help()}\n`);
    return 1;
  }
  const cmd = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    stdout.write(cmd.usage + '\n');
    return 0;
  }
  try {
    return await cmd.run({ argv: rest, stdout, stderr });
  } catch (err) {
    if (err instanceof UserError) {
      stderr.write(`ebm-hep ${name}: ${err.message}\n`);
      if (err.hint) stderr.write(`  → ${err.hint}\n`);
      return 1;
    }
    throw err;
  }
}
