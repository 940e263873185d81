/**
 * Entry point of the simulated Zimbra executables (bundled as dist/sandbox-tool.js).
 * Invoked by each sandbox wrapper as: node sandbox-tool.js <toolName> <scriptPath> [args…]
 */
import { runTool } from './run-tool.js';

process.exit(await runTool(process.argv.slice(2)));
