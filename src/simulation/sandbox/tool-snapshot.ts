/**
 * The simulated Zimbra executables as a V8 startup snapshot (built by scripts/build.mjs when the
 * Node.js that builds can run it): node starts with every tool already loaded, which makes each
 * call about as cheap as an empty node. Invoked as: node --snapshot-blob BLOB <toolName> <scriptPath> [args…]
 *
 * The modules' top-level code runs once, when the snapshot is built: the tools read the environment,
 * the clock and the pid inside their functions, never into module constants.
 */
import { startupSnapshot } from 'node:v8';
import { runTool } from './run-tool.js';

// A snapshot's argv has no script: the tool name comes right after node.
startupSnapshot.setDeserializeMainFunction(() => {
  void runTool(process.argv.slice(1)).then((code) => process.exit(code));
});
