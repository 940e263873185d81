/**
 * Entry point of the simulated Zimbra executables (bundled as dist/sandbox-tool.js).
 * Invoked by each sandbox wrapper as: node sandbox-tool.js <toolName> <scriptPath> [args…]
 * The sandbox root is scriptPath minus the tool's server path.
 */
import * as path from 'node:path';
import { SANDBOX_USER_ENV } from '../../host/host.js';
import { appendCallSync } from './calls.js';
import { hangForever, sleepSync, takeFault } from './faults.js';
import { readMetaSync, type SandboxMeta } from './state.js';
import { lineReader, writeAllSync, type Tool, type ToolContext } from './tools/context.js';
import { apachectl } from './tools/apachectl.js';
import { cbpolicydDaemon, zmapachectl } from './tools/misc.js';
import { php } from './tools/php.js';
import { postconf } from './tools/postconf.js';
import { postqueue } from './tools/postqueue.js';
import { postsuper } from './tools/postsuper.js';
import { zmcbpolicydctl, zmcbpolicydinit } from './tools/zmcbpolicydctl.js';
import { zmcontrol } from './tools/zmcontrol.js';
import { zmlocalconfig, zmhostname } from './tools/zmlocalconfig.js';
import { zmmtactl } from './tools/zmmtactl.js';
import { zmprov } from './tools/zmprov/index.js';
import { sandboxRootOf, type ToolName } from './tool-paths.js';
import { versionProfile } from './versions.js';

const TOOLS: Record<ToolName, Tool> = {
  zmprov,
  zmcontrol,
  zmmtactl,
  zmcbpolicydctl,
  zmcbpolicydinit,
  zmlocalconfig,
  zmhostname,
  zmapachectl,
  postconf,
  postqueue,
  postsuper,
  cbpolicyd: cbpolicydDaemon,
  apachectl,
  php,
};

function main(argv: string[]): number {
  const [tool, scriptPath, ...args] = argv;
  const run = tool === undefined ? undefined : TOOLS[tool as ToolName];
  if (!run || scriptPath === undefined) {
    writeAllSync(2, `sandbox-tool: unknown tool ${tool ?? '(none)'}\n`);
    return 127;
  }
  const root = sandboxRootOf(tool as string, scriptPath);
  if (root === undefined) {
    writeAllSync(2, `sandbox-tool: ${scriptPath} is not where ${tool} lives in a sandbox\n`);
    return 127;
  }
  let meta: SandboxMeta;
  try {
    meta = readMetaSync(root);
  } catch {
    writeAllSync(2, `sandbox-tool: ${root} is not a sandbox (no .sandbox/sandbox.json)\n`);
    return 127;
  }
  const ctx: ToolContext = {
    root,
    tool: tool as string,
    args,
    meta,
    profile: versionProfile(meta.version),
    out: (text) => writeAllSync(1, text),
    err: (text) => writeAllSync(2, text),
    readLine: lineReader(0),
    host: (p) => path.join(root, p),
    user: process.env[SANDBOX_USER_ENV] || undefined,
  };
  let code: number;
  try {
    const fault = takeFault(root, tool as string, args);
    if (fault?.hang) hangForever();
    if (fault?.slowMs) sleepSync(fault.slowMs);
    if (fault?.fail !== undefined) {
      ctx.err(`${fault.fail}\n`);
      code = fault.exitCode ?? 1;
    } else code = run(ctx);
  } catch (error) {
    writeAllSync(2, `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    code = 1;
  }
  appendCallSync(root, {
    ts: new Date().toISOString(),
    tool: tool as string,
    argv: ctx.recordedArgv ?? args,
    ...(ctx.user ? { user: ctx.user } : {}),
    ...(ctx.recordedStdin ? { stdin: ctx.recordedStdin } : {}),
    exitCode: code,
  });
  return code;
}

process.exit(main(process.argv.slice(2)));
