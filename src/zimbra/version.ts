/** A ZCS release as read from `zmcontrol -v`. */
export interface ZimbraVersion {
  major: number;
  minor: number;
  patch: number;
  /** The whole first line of `zmcontrol -v`, for messages. */
  raw: string;
}

const RELEASE = /\bRelease (\d+)\.(\d+)\.(\d+)[._]/;

/** Parses `zmcontrol -v` output (also the appliance's two-line `ZCA Release … / ZCS Build …` form). */
export function parseZmcontrolVersion(output: string): ZimbraVersion | undefined {
  for (const line of output.split('\n')) {
    const m = RELEASE.exec(line);
    if (m) return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), raw: line.trim() };
  }
  return undefined;
}

export function atLeast(v: Pick<ZimbraVersion, 'major' | 'minor' | 'patch'>, major: number, minor = 0, patch = 0): boolean {
  if (v.major !== major) return v.major > major;
  if (v.minor !== minor) return v.minor > minor;
  return v.patch >= patch;
}

export function formatVersion(v: Pick<ZimbraVersion, 'major' | 'minor' | 'patch'>): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}
