import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { onTestFinished } from 'vitest';
import { RealHost } from '../../src/host/real-host.js';
import { runMonitor, type MonitorOptions } from '../../src/monitor/run-monitor.js';

export const DOMAINS = ['example.com', 'example.org'];
export const FIXTURES = join(import.meta.dirname, '../fixtures/logs');

/** A temporary server root (like `--root DIR`), removed after the test. */
export function tempRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'zh-monitor-'));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'latin1');
}

/** Writes a server file under root; mtime defaults to 2024-10-30 18:00 (the fixtures' day). */
export function put(root: string, path: string, content: string | Buffer, mtime = new Date(2024, 9, 30, 18, 0)): string {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, typeof content === 'string' ? Buffer.from(content, 'latin1') : content);
  utimesSync(file, mtime, mtime);
  return file;
}

export function monitorOn(root: string, options: Partial<MonitorOptions> = {}) {
  return runMonitor({ host: new RealHost(root), domains: DOMAINS, now: new Date(2024, 9, 30, 18, 5), ...options });
}

/** Appends like a logger does; the file's mtime stays on the fixtures' day (syslog years come from it). */
export function append(file: string, content: string, mtime = new Date(2024, 9, 30, 18, 0)): void {
  appendFileSync(file, Buffer.from(content, 'latin1'));
  utimesSync(file, mtime, mtime);
}
