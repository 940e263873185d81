import { execa } from 'execa';
import { onTestFinished } from 'vitest';

let counter = 0;

/** A program running in a real pseudo-terminal (a detached tmux session), driven like a person would. */
export async function terminal(command: string[], options: { width?: number; height?: number; env?: Record<string, string>; record?: string } = {}) {
  const session = `zh-test-${process.pid}-${++counter}`;
  // A CI environment makes the tool non-interactive, as a person at this terminal is not; unset it for the program.
  const env = Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`);
  const quoted = ['env', '-u', 'CI', '-u', 'NO_COLOR', '-u', 'FORCE_COLOR', ...env, ...command].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  // With `record`, the program waits for Enter until every byte it writes is logged to that file.
  const start = options.record ? `read _; ${quoted}` : quoted;
  // Keep the pane open after the program ends so its exit code can be read.
  await execa('tmux', ['new-session', '-d', '-s', session, '-x', String(options.width ?? 160), '-y', String(options.height ?? 60), `${start}; echo "EXIT=$?"; sleep 600`]);
  onTestFinished(() => execa('tmux', ['kill-session', '-t', session], { reject: false }).then(() => undefined));
  if (options.record) {
    await execa('tmux', ['pipe-pane', '-o', '-t', session, `cat >> '${options.record}'`]);
    await execa('tmux', ['send-keys', '-t', session, 'Enter']);
  }

  const screen = async () => (await execa('tmux', ['capture-pane', '-p', '-J', '-S', '-2000', '-t', session])).stdout;
  return {
    screen,
    /** The rows as the terminal shows them (lines the terminal wrapped stay split), with `escapes` their colour codes too. */
    async rows(escapes = false): Promise<string[]> {
      return (await execa('tmux', ['capture-pane', '-p', ...(escapes ? ['-e'] : []), '-S', '-2000', '-t', session])).stdout.split('\n');
    },
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
