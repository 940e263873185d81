// The bundle's entry (dist/cli.js). Source maps stay off (Node would read every chunk's map at load):
// an internal error's stack is mapped to src/ files when it is printed (src/ui/mapped-stack.ts).
await import('./cli.js');
