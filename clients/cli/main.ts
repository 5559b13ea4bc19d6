import { createOutreachClient, type OutreachClient } from '../typescript';
import { globalOptions, locateCommand, parseFlags, type GlobalOptions } from './args';
import type { CommandContext, CommandSpec } from './command';
import { adminCommands } from './commands/admin';
import { campaignCommands } from './commands/campaigns';
import { dncCommands } from './commands/dnc';
import { messageCommands } from './commands/messages';
import { recipientCommands } from './commands/recipients';
import { statsCommands } from './commands/stats';
import { ExitCode, UsageError, type ExitCodeValue } from './exit-codes';
import { commandHelp, groupHelp, mainHelp } from './help';
import type { CliIo } from './output';
import { describeError, exitCodeFor } from './report-error';

/** Every command of the CLI, in the order `--help` lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  ...campaignCommands,
  ...recipientCommands,
  ...messageCommands,
  ...statsCommands,
  ...dncCommands,
  ...adminCommands,
];

/**
 * Runs one command line and returns its exit status. Everything the CLI prints goes to `io`;
 * `signal` is aborted on Ctrl-C. Errors never escape: each is reported on stderr and mapped to an
 * exit status (see `ExitCode`).
 */
export async function main(argv: readonly string[], io: CliIo, signal: AbortSignal): Promise<ExitCodeValue> {
  let url = '';
  try {
    const { words, rest } = locateCommand(argv, COMMANDS.map((c) => c.path));
    const spec = COMMANDS.find((c) => c.path.length === words.length && c.path.every((w, i) => words[i] === w));
    const { values, positionals } = parseFlags(rest, spec?.options ?? {});
    const global = globalOptions(values, io.env);
    url = global.url;
    if (spec === undefined) return helpWithoutCommand(io, words, positionals, global.help);
    if (global.help) {
      io.stdout.write(`${commandHelp(spec)}\n`);
      return ExitCode.ok;
    }
    const [min, max] = spec.positionals;
    if (positionals.length < min || positionals.length > max) {
      throw new UsageError(`usage: outreach ${spec.path.join(' ')} ${spec.args}`.trimEnd() + '  (see --help)');
    }
    return await spec.run(commandContext(global, io, signal), { positionals, values });
  } catch (e: unknown) {
    io.stderr.write(`${describeError(e, url || 'the service').join('\n')}\n`);
    return signal.aborted ? ExitCode.interrupted : exitCodeFor(e);
  }
}

function helpWithoutCommand(io: CliIo, words: readonly string[], positionals: readonly string[], help: boolean): ExitCodeValue {
  const text = words.length === 0 ? mainHelp(COMMANDS) : groupHelp(words, COMMANDS);
  if (help && positionals.length === 0) {
    io.stdout.write(`${text}\n`);
    return ExitCode.ok;
  }
  const unknown = positionals[0];
  const problem = unknown === undefined ? 'missing command' : `unknown command "${[...words, unknown].join(' ')}"`;
  io.stderr.write(`outreach: ${problem}\n\n${text}\n`);
  return ExitCode.usage;
}

function commandContext(global: GlobalOptions, io: CliIo, signal: AbortSignal): CommandContext {
  const clients = new Map<string, OutreachClient>();
  const clientFor = (apiKey: string | undefined, missing: string, format: 'json' | 'protobuf'): OutreachClient => {
    if (apiKey === undefined) throw new UsageError(missing);
    const cacheKey = `${apiKey}\u0000${format}`;
    const existing = clients.get(cacheKey);
    if (existing !== undefined) return existing;
    const client = createOutreachClient({ baseUrl: global.url, apiKey, format });
    clients.set(cacheKey, client);
    return client;
  };
  return {
    global,
    io,
    signal,
    client: (options = {}) => clientFor(global.key, 'no API key: pass --key or set OUTREACH_API_KEY', options.format ?? 'json'),
    adminClient: () => clientFor(global.adminKey, 'no admin key: pass --admin-key or set OUTREACH_ADMIN_KEY', 'json'),
  };
}

/**
 * The process entry (`bin/outreach.js`): reads `process.argv`, turns the first Ctrl-C into an
 * abort of the running command and a second one into an immediate exit, and exits with the
 * command's status once its output is flushed.
 */
export async function runFromProcess(): Promise<void> {
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(ExitCode.interrupted);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env };
  const code = await main(process.argv.slice(2), io, controller.signal);
  process.off('SIGINT', onSigint);
  // Idle keep-alive sockets would hold the process open for seconds; end once stdout is flushed.
  process.stdout.write('', () => process.exit(code));
}
