import { execa } from 'execa';
import { onTestFinished } from 'vitest';

let counter = 0;

/** A program running in a real pseudo-terminal (a detached tmux session), driven like a person would. */
export async function terminal(command: string[], options: { width?: number; height?: number } = {}) {
  const session = `zh-test-${process.pid}-${++counter}`;
  // A CI environment makes the tool non-interactive, as a person at this terminal is not; unset it for the program.
  const quoted = ['env', '-u', 'CI', ...command].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  // Keep the pane open after the program ends so its exit code can be read.
  await execa('tmux', ['new-session', '-d', '-s', session, '-x', String(options.width ?? 160), '-y', String(options.height ?? 60), `${quoted}; echo "EXIT=$?"; sleep 600`]);
  onTestFinished(() => execa('tmux', ['kill-session', '-t', session], { reject: false }).then(() => undefined));

  const screen = async () => (await execa('tmux', ['capture-pane', '-p', '-J', '-S', '-2000', '-t', session])).stdout;
  return {
    screen,
    /** Waits until the screen matches, or fails with what it showed. */
    async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      let text = '';
      while (Date.now() < deadline) {
        text = await screen();
        if (pattern.test(text)) return text;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`terminal never showed ${pattern}; it showed:\n${text}`);
    },
    async keys(...keys: string[]): Promise<void> {
      await execa('tmux', ['send-keys', '-t', session, ...keys]);
    },
    async exitCode(): Promise<number> {
      const text = await this.waitFor(/EXIT=\d+/);
      return Number(/EXIT=(\d+)/.exec(text)![1]);
    },
  };
}
