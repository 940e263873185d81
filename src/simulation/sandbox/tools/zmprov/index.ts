/**
 * zmprov: single-command mode (`zmprov ms host attr value`) and batch mode (commands on
 * standard input or from `-f file`, each read after printing the `prov> ` prompt).
 */
import * as fs from 'node:fs';
import { ServiceError } from '../../ldap/directory.js';
import { lineReader, type ToolContext } from '../context.js';
import { takeFault } from '../../faults.js';
import { ArgError, lookupCommand, SafeguardExit, type Command, type Session } from './commands.js';
import { parseLine } from './parse.js';
import { redactArgs, redactLine } from './redact.js';

const GENERAL_USAGE = `
zmprov [args] [cmd] [cmd-args ...]

  -h/--help                             display usage
  -f/--file                             use file as input stream
  -s/--server   {host}[:{port}]         server hostname and optional port
  -l/--ldap                             provision via LDAP instead of SOAP
  -L/--logpropertyfile                  log4j property file, valid only with -l
  -a/--account  {name}                  account name to auth as
  -p/--password {pass}                  password for account
  -P/--passfile {file}                  read password from file
  -z/--zadmin                           use zimbra admin name/password from localconfig for admin/password
  -v/--verbose                          verbose mode (dumps full exception stack trace)
  -d/--debug                            debug mode (dumps SOAP messages)
  -m/--master                           use LDAP master (only valid with -l)
  -r/--replace                          allow replacement of safe-guarded multi-valued attributes configured in localconfig key "zmprov_safeguarded_attrs"

 zmprov is used for provisioning. Try:

     zmprov help account         help on account-related commands
     zmprov help config          help on config-related commands
     zmprov help domain          help on domain-related commands
     zmprov help server          help on server-related commands
     zmprov help commands        help on all commands

`;

const FLAG_OPTIONS: Record<string, string> = { h: 'help', l: 'ldap', z: 'zadmin', v: 'verbose', d: 'debug', D: 'debughigh', m: 'master', t: 'temp', r: 'replace' };
const VALUE_OPTIONS: Record<string, string> = { f: 'file', s: 'server', L: 'logpropertyfile', a: 'account', p: 'password', P: 'passfile', y: 'authtoken', Y: 'authtokenfile' };

interface Options {
  flags: Set<string>;
  values: Map<string, string>;
  rest: string[];
}

/** Commons CLI PosixParser with stopAtNonOption: options first, then the command. */
function parseOptions(args: string[]): Options | string {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      i++;
      break;
    }
    if (arg.startsWith('--')) {
      const long = arg.slice(2);
      const flag = Object.values(FLAG_OPTIONS).find((v) => v === long);
      const valued = Object.values(VALUE_OPTIONS).find((v) => v === long);
      if (flag) flags.add(flag);
      else if (valued) {
        if (i + 1 >= args.length) return `Missing argument for option: ${long}`;
        values.set(valued, args[++i] as string);
      } else return `Unrecognized option: ${arg}`;
      continue;
    }
    if (!arg.startsWith('-') || arg.length === 1) break;
    if (arg === '-fd') {
      flags.add('forcedisplay');
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const ch = arg[j] as string;
      if (FLAG_OPTIONS[ch]) flags.add(FLAG_OPTIONS[ch]);
      else if (VALUE_OPTIONS[ch]) {
        const inline = arg.slice(j + 1);
        if (inline === '' && i + 1 >= args.length) return `Missing argument for option: ${ch}`;
        values.set(VALUE_OPTIONS[ch], inline !== '' ? inline : (args[++i] as string));
        break;
      } else return `Unrecognized option: -${ch}`;
    }
  }
  const rest = args.slice(i);
  if (rest[0]?.toLowerCase() === 'prov') rest.shift();
  return { flags, values, rest };
}

function commandUsage(ctx: ToolContext, cmd: Command): void {
  ctx.out(`usage:  ${cmd.name}(${cmd.alias}) ${cmd.help}\n\n`);
}

const errorLine = (e: ServiceError) => `ERROR: ${e.code} (${e.message})\n`;

/** Runs one command; false when the command is unknown. ServiceError/ArgError/SafeguardExit propagate. */
function execute(s: Session, args: string[]): { known: boolean; usage?: Command } {
  const cmd = lookupCommand(args[0] as string);
  if (!cmd) return { known: false };
  if (args.length < cmd.min || args.length > cmd.max) return { known: true, usage: cmd };
  const fault = takeFault(s.ctx.root, 'zmprov', [], [cmd.name, cmd.alias]);
  if (fault) throw new ServiceError('service.FAILURE', `system failure: ${fault.fail ?? 'injected failure'}`);
  try {
    cmd.run(s, args);
  } catch (error) {
    if (error instanceof ArgError) return { known: true, usage: cmd };
    throw error;
  }
  return { known: true };
}

function batch(s: Session, readLine: () => string | undefined, verbose: boolean, record?: string[]): number {
  const { ctx } = s;
  let errorOccurred = false;
  for (;;) {
    ctx.out('prov> ');
    const line = readLine();
    if (line === undefined) return 0;
    record?.push(redactLine(line));
    if (verbose) ctx.out(`${line}\n`);
    const args = parseLine(line);
    if (args[0]?.toLowerCase() === 'prov') args.shift();
    if (args.length === 0) continue;
    const word = (args[0] as string).toLowerCase();
    if (word === 'exit' || word === 'quit') return errorOccurred ? 2 : 0;
    try {
      const result = execute(s, args);
      if (!result.known) ctx.out("Unknown command. Type: 'help commands' for a list\n");
      else if (result.usage) commandUsage(ctx, result.usage);
    } catch (error) {
      if (error instanceof SafeguardExit) return 2;
      if (!(error instanceof ServiceError)) throw error;
      errorOccurred = true;
      ctx.err(errorLine(error));
    }
  }
}

export function zmprov(ctx: ToolContext): number {
  const parsed = parseOptions(ctx.args);
  if (typeof parsed === 'string') {
    ctx.err(`error: ${parsed}\n`);
    ctx.out(GENERAL_USAGE);
    return 1;
  }
  const { flags, values, rest } = parsed;
  if (rest.length > 0) ctx.recordedArgv = [...ctx.args.slice(0, ctx.args.length - rest.length), ...redactArgs(rest)];
  if (flags.has('help')) {
    ctx.out(GENERAL_USAGE);
    return 1;
  }
  if (flags.has('ldap') && values.has('server')) {
    ctx.err('error: cannot specify both -l and -s at the same time\n');
    return 2;
  }
  if (flags.has('master') && !flags.has('ldap')) {
    ctx.err('error: cannot specify -m when -l is not specified\n');
    return 2;
  }
  const session: Session = { ctx, allowReplace: flags.has('replace') };
  if (rest.length === 0) {
    const file = values.get('file');
    if (file !== undefined) {
      let fd: number;
      try {
        fd = fs.openSync(file, 'r');
      } catch (error) {
        ctx.err(`Exception in thread "main" java.io.FileNotFoundException: ${file} (${(error as Error).message.includes('ENOENT') ? 'No such file or directory' : 'Permission denied'})\n`);
        return 1;
      }
      try {
        return batch(session, lineReader(fd), flags.has('verbose'));
      } finally {
        fs.closeSync(fd);
      }
    }
    ctx.recordedStdin = [];
    return batch(session, ctx.readLine, flags.has('verbose'), ctx.recordedStdin);
  }
  const word = (rest[0] as string).toLowerCase();
  if (word === 'exit' || word === 'quit') return 0;
  try {
    const result = execute(session, rest);
    if (!result.known) {
      ctx.out(GENERAL_USAGE);
      return 1;
    }
    if (result.usage) {
      commandUsage(ctx, result.usage);
      ctx.out('For general help, type : zmprov --help\n');
      return 1;
    }
    return 0;
  } catch (error) {
    if (error instanceof SafeguardExit) return 2;
    if (!(error instanceof ServiceError)) throw error;
    ctx.err(errorLine(error));
    return 2;
  }
}
