import { dirname } from 'node:path';
import { BEGIN, openListeners, patchBlock, patchBlockAtEnd, readHttpdConf, renderBlock, WEBUI_URL, type AccessSyntax, type BlockPatch } from '../apache/httpd-conf.js';
import { includeLoader } from '../apache/include-files.js';
import { readSections, type ConfigFile, type IncludeLoader } from '../apache/sections.js';
import { webuiAccess, type WebuiAccess } from '../apache/webui-access.js';
import { isWideNetwork } from '../core/cidr.js';
import { fileDiff } from '../core/diff.js';
import type { Control, Item, ServerEnv } from '../core/types.js';
import type { ReadHost } from '../host/host.js';
import { atLeast } from '../zimbra/version.js';
import { gatherPhpModules, pdoSqliteItem, type PhpModulesFacts } from './php-modules.js';

export const WEBUI_EXPOSURE = 'webui-exposure';

/** Loopback is always allowed; then the admin networks of --webui-allow, in order, once each. */
export function allowList(extra: readonly string[] | undefined): string[] {
  return [...new Set(['127.0.0.1', '::1', ...(extra ?? [])])];
}

export function tunnelHint(env: ServerEnv): string {
  return `reach it safely through SSH: ssh -L 7780:127.0.0.1:7780 root@${env.hostname}, then open http://127.0.0.1:7780${WEBUI_URL}/index.php`;
}

/** Where the web UI is served from under Zimbra's Apache: a `webui` symlink or copy in the docroot, or an Alias. */
async function published(host: ReadHost, docroot: string, aliases: string[]): Promise<string[]> {
  const where: string[] = [];
  if ((await host.stat(`${docroot}/webui`))?.isDirectory) where.push(`${docroot}/webui`);
  for (const target of aliases) if ((await host.stat(target))?.isDirectory) where.push(target);
  return where;
}

/** What Apache would answer an outside address for the web UI's pages, with `content` as httpd.conf (includes followed). */
async function judge(load: IncludeLoader, conf: string, content: string, docroot: string, aliases: string[], allow: string[]): Promise<WebuiAccess> {
  const sections = await readSections({ path: conf, content }, load, dirname(docroot));
  const requests = [`${docroot}/webui`, ...aliases].map((dir) => ({ uri: `${WEBUI_URL}/index.php`, file: `${dir}/index.php` }));
  return webuiAccess(sections, requests, allow);
}

/**
 * The managed block, where Apache lets it decide: in place, else moved to the end of the file when
 * a later section lets outside addresses in again. `access` is the verdict with that content.
 */
async function placeBlock(load: IncludeLoader, conf: string, content: string, block: string, docroot: string, aliases: string[], allow: string[]) {
  const inPlace = patchBlock(content, block);
  if (!inPlace.ok) return { patch: inPlace as BlockPatch, access: undefined, reopenedBy: undefined };
  const access = await judge(load, conf, inPlace.content, docroot, aliases, allow);
  if (access.verdict !== 'granted') return { patch: inPlace as BlockPatch, access, reopenedBy: undefined };
  const atEnd = patchBlockAtEnd(content, block);
  const moved = atEnd.ok ? await judge(load, conf, atEnd.content, docroot, aliases, allow) : access;
  return moved.verdict === 'denied' ? { patch: atEnd, access: moved, reopenedBy: access } : { patch: inPlace as BlockPatch, access, reopenedBy: undefined };
}

export interface WebuiExposureFacts {
  /** httpd.conf, undefined when there is no Zimbra Apache (no file, or no apachectl). */
  content?: string;
  /** Where the web UI is published now. */
  served: string[];
  /** What every Include of httpd.conf named, by pattern (the managed block adds none). */
  includes: Record<string, ConfigFile[]>;
  /** `zmapachectl status` succeeded; asked only when the block could change. */
  apacheRunning: boolean;
  /** Zimbra's PHP and its modules, when the web UI is published. */
  php?: PhpModulesFacts;
}

/** Reads every file that httpd.conf includes, through the host, and keeps them by pattern for planning. */
async function gatherIncludes(host: ReadHost, conf: string, content: string, docroot: string): Promise<Record<string, ConfigFile[]>> {
  const load = includeLoader(host);
  const includes: Record<string, ConfigFile[]> = {};
  await readSections({ path: conf, content }, async (pattern) => (includes[pattern] = await load(pattern)), dirname(docroot));
  return includes;
}

/**
 * The cbpolicyd web UI (Apache on port 7780, all interfaces, no login) must answer only loopback and
 * the admin networks given. A marked block in Zimbra's httpd.conf, checked with Zimbra's apachectl
 * before it replaces the file; Apache restarts only when the block changed.
 */
export const webuiExposureControl: Control<WebuiExposureFacts> = {
  id: WEBUI_EXPOSURE,
  title: 'cbpolicyd web UI reachable only from loopback and admin networks',

  reads() {
    return [];
  },

  async gather({ host, env }) {
    const conf = env.paths.httpdConf;
    const content = await host.readFile(conf);
    const none = { served: [], includes: {}, apacheRunning: false };
    if (content === undefined || !(await host.stat(env.paths.apachectl))?.isFile) return none;
    const facts = readHttpdConf(content);
    const docroot = facts.documentRoot ?? env.paths.apacheDocroot;
    const served = await published(host, docroot, facts.webuiAliases);
    const includes = await gatherIncludes(host, conf, content, docroot);
    const mayChange = served.length > 0 || content.split('\n').some((line) => line.trim() === BEGIN);
    const apacheRunning = mayChange && (await host.exec(env.paths.zmapachectl, ['status'], { user: 'zimbra' })).exitCode === 0;
    const php = served.length > 0 ? await gatherPhpModules(host, env) : undefined;
    return { content, served, includes, apacheRunning, php };
  },

  async plan({ content, served, includes, apacheRunning, php }, { env, settings }) {
    const conf = env.paths.httpdConf;
    const base = { control: WEBUI_EXPOSURE, subject: conf, actions: [], restart: [] as Item['restart'] };
    if (content === undefined) {
      return [{ ...base, status: 'skip', message: 'no Zimbra Apache on this server (zimbra-apache comes only with zimbra-spell): nothing serves the web UI here' }];
    }
    const facts = readHttpdConf(content);
    const docroot = facts.documentRoot ?? env.paths.apacheDocroot;
    const allow = allowList(settings.webuiAllow);
    const open = openListeners(facts.listen);
    const who = open.length > 0 ? `Apache listens on every interface (Listen ${open.join(', ')})` : `Apache listens on loopback only (Listen ${facts.listen.join(', ')})`;
    const syntax: AccessSyntax = facts.syntax ?? (atLeast(env.version, 8, 7) ? '2.4' : '2.2');
    const installDir = env.paths.webuiDir ?? env.paths.webuiManualDir;
    const block = renderBlock({ syntax, allow, directories: [...new Set([`${docroot}/webui`, installDir, ...facts.webuiAliases])] });
    const { patch, access, reopenedBy } = await placeBlock(async (pattern) => includes[pattern] ?? [], conf, content, block, docroot, facts.webuiAliases, allow);
    const items: Item[] = [];
    const wide = allow.filter(isWideNetwork).map((n) => `${n} is a wide network: every address in it may open the web UI`);
    const extras = atLeast(env.version, 10, 1) ? ['on ZCS 10.1 (PHP 8.3) the web UI cannot list or change quota limits (quotas-limits-main.php fails): zimbra-harden manages them'] : [];

    if (!patch.ok) {
      items.push({ ...base, status: 'fail', message: `${conf}: ${patch.reason}; fix the block by hand or skip this step with --skip ${WEBUI_EXPOSURE}` });
    } else if (access && access.verdict !== 'denied' && (served.length > 0 || patch.present)) {
      const where = access.decidedBy.join(', ') || 'the configuration';
      items.push({
        ...base,
        status: 'fail',
        severity: 'warning',
        message:
          access.verdict === 'granted'
            ? `${WEBUI_URL} answers outside addresses (${access.client}) despite the managed block: ${where} lets them in; remove or narrow that section (it may sit in a virtual host or an included file)`
            : `cannot tell who may open ${WEBUI_URL}: ${where} has ${access.reason}; allow only ${allow.join(', ')} there`,
        details: [who, tunnelHint(env)],
      });
    } else if (served.length === 0 && !patch.present) {
      items.push({ ...base, status: 'ok', message: `the web UI is not published under Apache (${docroot}/webui absent, no Alias ${WEBUI_URL}): nobody can open it`, details: [who] });
    } else if (!patch.changed) {
      items.push({ ...base, status: 'ok', message: `${WEBUI_URL} answers only ${allow.join(', ')}`, details: [who, `published at ${served.join(', ') || '(nowhere now)'}`, ...wide, tunnelHint(env), ...extras] });
    } else {
      const running = apacheRunning;
      items.push({
        ...base,
        status: 'change',
        severity: 'warning',
        message: reopenedBy
          ? `${WEBUI_URL} answers outside addresses (${reopenedBy.client}): ${reopenedBy.decidedBy.join(', ')} lets them in after the managed block; move the block to the end of ${conf}`
          : patch.present
          ? `update the access block of ${WEBUI_URL}: allow only ${allow.join(', ')}`
          : `the web UI (no login) is published at ${served.join(', ')} and ${open.length > 0 ? 'anyone who reaches port 7780 can edit the policies' : 'reachable by every local user'}: allow only ${allow.join(', ')}`,
        actions: [{ kind: 'write-file', path: conf, content: patch.content, diff: fileDiff(conf, content, patch.content), validate: 'apache-config', backup: true }],
        restart: running ? ['apache'] : [],
        details: [who, ...wide, `Apache ${syntax} access syntax (${facts.syntax ? 'as the file uses' : `ZCS ${env.version.major}.${env.version.minor}`})`, ...(running ? [] : ['Apache is not running: the block applies when it starts']), tunnelHint(env), ...extras],
      });
    }
    if (php) items.push(pdoSqliteItem(php, env));
    return items;
  },
};
