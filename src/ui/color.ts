import chalk from 'chalk';

/**
 * Sets chalk's colour level from the command line and the environment, before anything is printed.
 * chalk 5 already honours FORCE_COLOR (for CI logs) and a terminal, but not NO_COLOR (no-color.org:
 * any non-empty value turns colour off). Precedence: --no-color / --color (the last one given),
 * then NO_COLOR, then FORCE_COLOR and whether stdout is a terminal (chalk's own detection).
 */
export function setColorLevel(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  const end = argv.indexOf('--');
  const flags = (end === -1 ? argv : argv.slice(0, end)).filter((a) => a === '--color' || a === '--no-color');
  const flag = flags.at(-1);
  // The prompts colour through node:util's styleText, which reads NO_COLOR and FORCE_COLOR itself.
  if (flag === '--no-color') {
    chalk.level = 0;
    env.NO_COLOR = '1';
    delete env.FORCE_COLOR;
  } else if (flag === '--color') {
    chalk.level = Math.max(chalk.level, 1) as typeof chalk.level;
    env.FORCE_COLOR = String(chalk.level);
    delete env.NO_COLOR;
  } else if (env.NO_COLOR) chalk.level = 0;
}
