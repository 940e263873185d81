/**
 * Runs one simulated Zimbra executable: argv is <toolName> <scriptPath> [args…], as each sandbox
 * wrapper passes it (see tool.ts and tool-snapshot.ts). The sandbox root is scriptPath minus the
 * tool's server path.
 */
import * as path from 'node:path';
import { SANDBOX_USER_ENV } from '../../host/host.js';
import { appendCallSync } from './calls.js';
import { hangForever, sleepSync, takeFault } from './faults.js';
import { readMetaSync, type SandboxMeta } from './state.js';
import { lineReader, writeAllSync, type Tool, type ToolContext } from './tools/context.js';
import { sandboxRootOf, type ToolName } from './tool-paths.js';
import { versionProfile } from './versions.js';

// Each call runs one tool: load only its code (the bundle splits at these imports).
const TOOLS: Record<ToolName, () => Promise<Tool>> = {
  zmprov: async () => (await import('./tools/zmprov/index.js')).zmprov,
  zmcontrol: async () => (await import('./tools/zmcontrol.js')).zmcontrol,
  zmmtactl: async () => (await import('./tools/zmmtactl.js')).zmmtactl,
  zmcbpolicydctl: async () => (await import('./tools/zmcbpolicydctl.js')).zmcbpolicydctl,
  zmcbpolicydinit: async () => (await import('./tools/zmcbpolicydctl.js')).zmcbpolicydinit,
  zmlocalconfig: async () => (await import('./tools/zmlocalconfig.js')).zmlocalconfig,
  zmhostname: async () => (await import('./tools/zmlocalconfig.js')).zmhostname,
  zmapachectl: async () => (await import('./tools/misc.js')).zmapachectl,
  postconf: async () => (await import('./tools/postconf.js')).postconf,
  postqueue: async () => (await import('./tools/postqueue.js')).postqueue,
  postsuper: async () => (await import('./tools/postsuper.js')).postsuper,
  cbpolicyd: async () => (await import('./tools/misc.js')).cbpolicydDaemon,
  apachectl: async () => (await import('./tools/apachectl.js')).apachectl,
  php: async () => (await import('./tools/php.js')).php,
};

export async function runTool(argv: string[]): Promise<number> {
  const [tool, scriptPath, ...args] = argv;
  const load = tool === undefined || !Object.hasOwn(TOOLS, tool) ? undefined : TOOLS[tool as ToolName];
  if (!load || scriptPath === undefined) {
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
    } else code = (await load())(ctx);
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
