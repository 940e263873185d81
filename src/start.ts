// The bundle's entry (dist/cli.js). Node maps stack traces through the source maps only for modules
// loaded after this call, so the CLI itself comes next: an internal error's stack then names src/ files.
process.setSourceMapsEnabled(true);
await import('./cli.js');
