/**
 * The access-control parts of an Apache configuration, as Apache reads them: every <Directory>,
 * <Files> and <Location> section (and their *Match and `~` forms) in file order, Include and
 * IncludeOptional followed, with the Require, Order/Allow/Deny and Satisfy directives they hold.
 * Pure text work: the files an Include names come from a loader.
 */

export type SectionKind = 'directory' | 'files' | 'location';

export interface RequireLine {
  negate: boolean;
  /** `all`, `ip`, `local`, `host`, `valid-user`… lower-cased. */
  provider: string;
  args: string[];
}

export interface RequireGroup {
  type: 'any' | 'all' | 'none';
  children: (RequireGroup | RequireLine)[];
}

export interface Section {
  kind: SectionKind;
  /** The literal argument (wildcards allowed), or the regular expression's source. */
  pattern: string;
  regex?: RegExp;
  /** `file:line` of the opening tag. */
  where: string;
  inVirtualHost: boolean;
  /** The section's Require directives (an implicit RequireAny), undefined when it has none. */
  require?: RequireGroup;
  authMerging?: 'off' | 'and' | 'or';
  /** mod_access_compat (Apache 2.2's mod_authz_host): present when the section sets any of them. */
  compat?: { order: 'deny,allow' | 'allow,deny' | 'mutual-failure'; allow: string[]; deny: string[] };
  satisfy?: 'any' | 'all';
}

export interface ConfigFile {
  path: string;
  content: string;
}

/** Files an Include pattern names (absolute, wildcards in the last part); none when missing. */
export type IncludeLoader = (pattern: string) => Promise<ConfigFile[]>;

function words(text: string): string[] {
  return [...text.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/** Logical lines: comments and blanks dropped, `\` continuations joined, each with its line number. */
function logicalLines(content: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  const raw = content.split('\n');
  for (let i = 0; i < raw.length; i++) {
    const line = i + 1;
    let text = raw[i]!.trim();
    while (text.endsWith('\\') && i + 1 < raw.length) text = `${text.slice(0, -1)} ${raw[++i]!.trim()}`;
    if (text !== '' && !text.startsWith('#')) out.push({ text, line });
  }
  return out;
}

const SECTION_KIND: Record<string, { kind: SectionKind; regex: boolean }> = {
  directory: { kind: 'directory', regex: false },
  directorymatch: { kind: 'directory', regex: true },
  files: { kind: 'files', regex: false },
  filesmatch: { kind: 'files', regex: true },
  location: { kind: 'location', regex: false },
  locationmatch: { kind: 'location', regex: true },
};

interface Frame {
  tag: string;
  section?: Section;
  group?: RequireGroup;
  /** false inside an <IfModule>/<IfDefine> that does not hold. */
  active: boolean;
}

interface ParseState {
  sections: Section[];
  serverRoot: string;
  modules: Set<string>;
  depth: number;
}

function regexOf(source: string): RegExp | undefined {
  try {
    return new RegExp(source);
  } catch {
    return undefined;
  }
}

function holds(tag: string, arg: string, modules: Set<string>): boolean {
  const negate = arg.startsWith('!');
  const name = (negate ? arg.slice(1) : arg).trim();
  if (tag === 'ifmodule') {
    const id = name.replace(/^mod_/, '').replace(/(_module|\.c)$/, '');
    return modules.has(id) !== negate;
  }
  if (tag === 'ifdefine') return negate; // nothing is defined on the command line
  return true; // <IfVersion>, <Limit>, <LimitExcept>: taken as holding
}

async function parseInto(file: ConfigFile, state: ParseState, load: IncludeLoader, stack: Frame[]): Promise<void> {
  for (const { text, line } of logicalLines(file.content)) {
    const where = `${file.path}:${line}`;
    const active = stack.every((f) => f.active);
    const close = /^<\/([A-Za-z]+)\s*>$/.exec(text);
    if (close) {
      if (stack.length > 0 && stack.at(-1)!.tag === close[1]!.toLowerCase()) stack.pop();
      continue;
    }
    const open = /^<([A-Za-z]+)(?:\s+(.*?))?\s*>$/.exec(text);
    if (open) {
      const tag = open[1]!.toLowerCase();
      const args = words(open[2] ?? '');
      const frame: Frame = { tag, active: true };
      const known = SECTION_KIND[tag];
      if (known) {
        const tilde = args[0] === '~';
        const pattern = tilde ? (args[1] ?? '') : (args[0] ?? '');
        const isRegex = known.regex || tilde;
        frame.section = {
          kind: known.kind,
          pattern,
          ...(isRegex ? { regex: regexOf(pattern) ?? /$^/ } : {}),
          where,
          inVirtualHost: stack.some((f) => f.tag === 'virtualhost'),
        };
        if (active) state.sections.push(frame.section);
      } else if (tag === 'requireany' || tag === 'requireall' || tag === 'requirenone') {
        const group: RequireGroup = { type: tag.slice('require'.length) as RequireGroup['type'], children: [] };
        const parent = parentGroup(stack);
        if (parent) parent.children.push(group);
        frame.group = group;
      } else if (tag !== 'virtualhost') {
        frame.active = holds(tag, open[2] ?? '', state.modules);
      }
      stack.push(frame);
      continue;
    }
    if (!active) continue;
    const [name = '', ...args] = words(text);
    await directive(name.toLowerCase(), args, stack, state, load);
  }
}

/** The Require group directives go into: the innermost Require* container, else the section's implicit RequireAny. */
function parentGroup(stack: Frame[]): RequireGroup | undefined {
  for (let i = stack.length - 1; i >= 0; i--) {
    const frame = stack[i]!;
    if (frame.group) return frame.group;
    if (frame.section) return (frame.section.require ??= { type: 'any', children: [] });
  }
  return undefined;
}

function currentSection(stack: Frame[]): Section | undefined {
  return [...stack].reverse().find((f) => f.section)?.section;
}

async function directive(name: string, args: string[], stack: Frame[], state: ParseState, load: IncludeLoader): Promise<void> {
  const section = currentSection(stack);
  switch (name) {
    case 'serverroot':
      state.serverRoot = (args[0] ?? state.serverRoot).replace(/\/+$/, '');
      return;
    case 'loadmodule':
      if (args[0]) state.modules.add(args[0].replace(/_module$/, ''));
      return;
    case 'include':
    case 'includeoptional': {
      if (!args[0] || state.depth > 8) return;
      const pattern = args[0].startsWith('/') ? args[0] : `${state.serverRoot}/${args[0]}`;
      for (const included of await load(pattern)) {
        state.depth++;
        await parseInto(included, state, load, stack);
        state.depth--;
      }
      return;
    }
    case 'require': {
      const group = parentGroup(stack);
      if (!group) return;
      const negate = args[0]?.toLowerCase() === 'not';
      const [provider = '', ...rest] = negate ? args.slice(1) : args;
      group.children.push({ negate, provider: provider.toLowerCase(), args: rest });
      return;
    }
    case 'authmerging':
      if (section) section.authMerging = (args[0]?.toLowerCase() ?? 'off') as Section['authMerging'];
      return;
    case 'order':
    case 'allow':
    case 'deny': {
      if (!section) return;
      const compat = (section.compat ??= { order: 'deny,allow', allow: [], deny: [] });
      if (name === 'order') compat.order = args.join('').toLowerCase() as NonNullable<Section['compat']>['order'];
      else compat[name].push(...args.slice(1));
      return;
    }
    case 'satisfy':
      if (section) section.satisfy = args[0]?.toLowerCase() === 'any' ? 'any' : 'all';
      return;
  }
}

/** Every access-relevant section of the configuration, in file order, includes expanded where they stand. */
export async function readSections(main: ConfigFile, load: IncludeLoader, defaultServerRoot: string): Promise<Section[]> {
  const state: ParseState = { sections: [], serverRoot: defaultServerRoot, modules: new Set(['core', 'so', 'http_core', 'unixd', 'version', 'log_config', 'logio']), depth: 0 };
  await parseInto(main, state, load, []);
  return state.sections;
}
