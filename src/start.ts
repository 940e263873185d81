// The bundle's entry (dist/cli.js). Source maps stay off (Node would read every chunk's map at load):
// an internal error's stack is mapped to src/ files when it is printed (src/ui/mapped-stack.ts).

// A reader that goes away early (`… | head`) closes the pipe. Further output is dropped, but the run
// goes on to its end: an apply is never cut between a change and its restart because nobody reads.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}

await import('./cli.js');
