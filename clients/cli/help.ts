import { DEFAULT_URL, isPrefix } from './args';
import type { CommandSpec } from './command';
import { EXIT_CODE_HELP } from './exit-codes';

const GLOBAL_FLAG_HELP = [
  `  --url URL        the service (env OUTREACH_URL; default ${DEFAULT_URL})`,
  '  --key KEY        tenant API key (env OUTREACH_API_KEY)',
  '  --admin-key KEY  operator admin key, for admin commands (env OUTREACH_ADMIN_KEY)',
  '  --json           print one JSON document on stdout (proto field names) instead of tables',
  '  -h, --help       help for the CLI, a group, or a command',
].join('\n');

function usageLine(spec: CommandSpec): string {
  return ['outreach', ...spec.path, spec.args, '[flags]'].filter((part) => part !== '').join(' ');
}

function commandList(specs: readonly CommandSpec[]): string {
  const names = specs.map((s) => [...s.path, s.args].filter((p) => p !== '').join(' '));
  const width = Math.max(...names.map((n) => n.length));
  return specs.map((s, i) => `  ${(names[i] as string).padEnd(width)}  ${s.summary}`).join('\n');
}

/** `outreach --help`: every command, the global flags, the environment and the exit codes. */
export function mainHelp(specs: readonly CommandSpec[]): string {
  return [
    'outreach: run Outreach outbound voice-call campaigns from a terminal',
    '',
    'Usage: outreach <command> [arguments] [flags]',
    '',
    'Commands:',
    commandList(specs),
    '',
    'Global flags (also read from the environment):',
    GLOBAL_FLAG_HELP,
    '',
    'Exit codes:',
    EXIT_CODE_HELP,
    '',
    'Run "outreach <command> --help" for its flags and an example.',
  ].join('\n');
}

/** Help for a command group such as `outreach campaigns`. */
export function groupHelp(words: readonly string[], specs: readonly CommandSpec[]): string {
  const inGroup = specs.filter((s) => isPrefix(words, s.path));
  return [`Usage: outreach ${words.join(' ')} <command> [arguments] [flags]`, '', 'Commands:', commandList(inGroup)].join('\n');
}

/** Help for one command: usage, what it does, its flags, and its details and examples. */
export function commandHelp(spec: CommandSpec): string {
  const parts = [`Usage: ${usageLine(spec)}`, '', spec.summary];
  if (spec.flagHelp.length > 0) {
    const width = Math.max(...spec.flagHelp.map(([flag]) => flag.length));
    parts.push('', 'Flags:', ...spec.flagHelp.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`));
  }
  parts.push('', 'Global flags:', GLOBAL_FLAG_HELP);
  if (spec.details !== undefined) parts.push('', spec.details);
  parts.push('', 'Exit codes:', EXIT_CODE_HELP);
  return parts.join('\n');
}
