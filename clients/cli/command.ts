import type { OutreachClient } from '../typescript';
import type { GlobalOptions, OptionSpecs, OptionValues } from './args';
import type { ExitCodeValue } from './exit-codes';
import type { CliIo } from './output';

/** What a command can reach while it runs. */
export interface CommandContext {
  readonly global: GlobalOptions;
  readonly io: CliIo;
  /** Aborted on the first Ctrl-C. */
  readonly signal: AbortSignal;
  /** A client authenticated with the tenant key (`--key` / `OUTREACH_API_KEY`); a usage error without one. */
  client(options?: { format?: 'json' | 'protobuf' }): OutreachClient;
  /** A client authenticated with the admin key (`--admin-key` / `OUTREACH_ADMIN_KEY`). */
  adminClient(): OutreachClient;
}

/** A command's parsed arguments. */
export interface CommandInput {
  readonly positionals: readonly string[];
  readonly values: OptionValues;
}

/** One flag's line in `--help`. */
export type FlagHelp = readonly [flag: string, description: string];

/** One command of the CLI: how it is called, its help, and what it does. */
export interface CommandSpec {
  /** The command words, e.g. `['campaigns', 'create']`. */
  readonly path: readonly string[];
  /** The positional arguments as shown in usage, e.g. `CAMPAIGN_ID FILE.csv`. */
  readonly args: string;
  readonly summary: string;
  /** Extra paragraphs for `--help`: examples, what is printed. */
  readonly details?: string;
  readonly options: OptionSpecs;
  readonly flagHelp: readonly FlagHelp[];
  /** Least and most positional arguments. */
  readonly positionals: readonly [min: number, max: number];
  run(ctx: CommandContext, input: CommandInput): Promise<ExitCodeValue>;
}
