import type { ReadHost } from '../host/host.js';

/** Reads keys of localconfig.xml without starting zmlocalconfig (a JVM). */
export async function readLocalconfig(host: ReadHost, path: string): Promise<Record<string, string> | undefined> {
  const xml = await host.readFile(path);
  if (xml === undefined) return undefined;
  const values: Record<string, string> = {};
  const key = /<key\s+name="([^"]+)"\s*>\s*<value>([^<]*)<\/value>/g;
  for (const m of xml.matchAll(key)) values[m[1]!] = decodeXml(m[2]!.trim());
  return values;
}

function decodeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
