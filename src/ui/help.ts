import type { Command } from 'commander';

/** Exit codes, as every command's help lists them (README "Exit codes"). */
const EXIT_CODES: Record<string, string[]> = {
  check: ['0  in sync (or something to change, without --detailed-exitcode)', '2  something would change or drifted (--detailed-exitcode)', '1  a check failed or an error', '64 bad flags or missing settings; 78 invalid config file; 130 interrupted'],
  apply: ['0  done, or nothing to do (with --detailed-exitcode: nothing changed); also when the confirmation is declined', '2  something changed (--detailed-exitcode)', '1  a step or the verification failed', '64 bad flags or missing settings; 78 invalid config file; 130 interrupted'],
  found: ['0  nothing found', '2  something found', '1  an error', '64 bad flags; 78 invalid config file'],
  plain: ['0  done', '1  an error', '64 bad flags; 78 invalid config file; 130 interrupted'],
};

const HELP: Record<string, { examples: string[]; exit: keyof typeof EXIT_CODES }> = {
  plan: { examples: ['zimbra-harden plan --catch-all example.com=catchall@example.com', 'zimbra-harden --json plan --detailed-exitcode', 'zimbra-harden plan --out hardening.plan   # review it, then: zimbra-harden apply hardening.plan'], exit: 'check' },
  apply: {
    examples: [
      'zimbra-harden apply --catch-all example.com=catchall@example.com',
      'zimbra-harden -q --yes apply --detailed-exitcode   # from a scheduler: silent unless something failed',
      'zimbra-harden apply hardening.plan   # exactly the saved plan (plan --out), or nothing if the server changed since',
    ],
    exit: 'apply',
  },
  audit: { examples: ['zimbra-harden audit', 'zimbra-harden -q audit --detailed-exitcode   # cron: silent while every protection holds'], exit: 'check' },
  wizard: { examples: ['zimbra-harden          # on a terminal: the guided session', 'zimbra-harden --root /tmp/zh   # on a simulated host (sandbox create)'], exit: 'apply' },
  monitor: { examples: ['zimbra-harden -q monitor      # from cron: mails new findings, prints nothing else', 'zimbra-harden monitor --since 2h --no-mail'], exit: 'found' },
  incident: { examples: ['zimbra-harden incident --since 6h', 'zimbra-harden --json incident --no-blocklists'], exit: 'found' },
  contain: { examples: ['zimbra-harden contain bob@example.com', 'zimbra-harden --json --yes contain bob@example.com --password-file /root/bob.pw'], exit: 'apply' },
  release: { examples: ['zimbra-harden release bob@example.com --delete-forged'], exit: 'apply' },
  install: { examples: ['zimbra-harden cron install --interval 5', 'zimbra-harden cron install --dry-run'], exit: 'plain' },
  remove: { examples: ['zimbra-harden cron remove'], exit: 'plain' },
  show: { examples: ['zimbra-harden cron show'], exit: 'plain' },
  create: { examples: ['zimbra-harden sandbox create /tmp/zh --zimbra-version 8.8.15 --incident'], exit: 'plain' },
};

function helpText(examples: string[], exit: string[]): string {
  return ['', 'Examples:', ...examples.map((e) => `  $ ${e}`), '', 'Exit codes:', ...exit.map((e) => `  ${e}`), '', 'Output: docs/output.md; JSON lines: docs/json.md', ''].join('\n');
}

/** Examples and exit codes at the end of every command's help (call once every command is declared). */
export function addHelp(program: Command): void {
  program.addHelpText('after', helpText(['zimbra-harden plan --catch-all example.com=catchall@example.com', 'zimbra-harden apply', 'zimbra-harden -q audit --detailed-exitcode', 'zimbra-harden <command> --help'], EXIT_CODES.apply!));
  const visit = (command: Command) => {
    for (const sub of command.commands) {
      const help = HELP[sub.name()];
      if (help) sub.addHelpText('after', helpText(help.examples, EXIT_CODES[help.exit]!));
      visit(sub);
    }
  };
  visit(program);
}
