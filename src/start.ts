// The bundle's entry (dist/cli.js). Source maps stay off (Node would read every chunk's map at load):
// an internal error's stack is mapped to src/ files when it is printed (src/ui/mapped-stack.ts).
import { plainMonitorArgs } from './commands/monitor-argv.js';
import { answerSignals } from './host/interrupts.js';

// A reader that goes away early (`… | head`) closes the pipe. Further output is dropped, but the run
// goes on to its end: an apply is never cut between a change and its restart because nobody reads.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}

answerSignals();

// What cron runs every few minutes starts without commander (commands/monitor-argv.ts); everything else goes through the full CLI.
const argv = process.argv.slice(2);
const plain = plainMonitorArgs(argv);
if (plain) process.exitCode = await (await import('./commands/plain-monitor.js')).runPlainMonitor(argv, plain);
else await import('./cli.js');
