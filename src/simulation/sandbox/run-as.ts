/**
 * The user switch, simulated. On a server `runuser -u zimbra` makes a tool zimbra, and the kernel
 * keeps it out of what only root may read. A sandbox's tools run as the sandbox's owner, who
 * stands for root, and are told the user they stand in for (ToolContext.user); a tool asks here
 * before it opens a file named on its command line or in a file it reads. The real owner and mode
 * of the path and of each folder on the way decide, as the kernel would for that user: it owns the
 * files of its uid in localconfig (zimbra_uid), never those of the sandbox's owner, and groups are
 * not simulated (a file it could read only through its group counts as unreadable).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readLocalConfigSync } from './localconfig.js';
import type { ToolContext } from './tools/context.js';

const READ = 4;
const SEARCH = 1;

interface Identity {
  uid: number;
  /** The sandbox's owner, who stands for root. */
  owner: number;
}

const identities = new WeakMap<ToolContext, Identity | undefined>();

/** Who the tool stands in for; undefined for root (and for the caller itself), whom nothing stops. */
function identity(ctx: ToolContext): Identity | undefined {
  if (ctx.user === undefined || ctx.user === 'root') return undefined;
  if (identities.has(ctx)) return identities.get(ctx);
  let uid = Number.NaN;
  if (ctx.user === 'zimbra') {
    try {
      uid = Number(readLocalConfigSync(ctx.root).get('zimbra_uid'));
    } catch {
      // no localconfig: the user owns nothing
    }
  }
  const who = { uid, owner: fs.statSync(ctx.root).uid };
  identities.set(ctx, who);
  return who;
}

/** Do the permission bits that apply to this user grant all of `bits`? A missing path grants (the caller reports it). */
function grants(who: Identity, hostPath: string, bits: number): boolean {
  let stats: fs.Stats;
  try {
    stats = fs.statSync(hostPath);
  } catch {
    return true;
  }
  const mode = stats.uid === who.uid && stats.uid !== who.owner ? stats.mode >> 6 : stats.mode;
  return (mode & bits) === bits;
}

/** The folders the kernel searches to reach a host path: from the sandbox's root down, or from / for a path outside it. */
function foldersAbove(root: string, hostPath: string): string[] {
  const relative = path.relative(root, hostPath);
  const inside = !relative.startsWith('..') && !path.isAbsolute(relative);
  // Above its root a sandbox is the test machine's, not the server's: the root plays "/", open to all.
  const top = inside ? root : path.parse(hostPath).root;
  const folders: string[] = [];
  let folder = path.dirname(hostPath);
  while (folder !== top && folder.length > top.length) {
    folders.push(folder);
    folder = path.dirname(folder);
  }
  return folders;
}

function reachable(who: Identity, root: string, hostPath: string): boolean {
  return foldersAbove(root, hostPath).every((folder) => grants(who, folder, SEARCH));
}

/** May the tool's user reach this path: search every folder above it? */
export function mayReach(ctx: ToolContext, hostPath: string): boolean {
  const who = identity(ctx);
  return who === undefined || reachable(who, ctx.root, hostPath);
}

/** May the tool's user open this file, or list this folder? Always true for root and for a missing path. */
export function mayRead(ctx: ToolContext, hostPath: string, kind: 'file' | 'folder' = 'file'): boolean {
  const who = identity(ctx);
  return who === undefined || (reachable(who, ctx.root, hostPath) && grants(who, hostPath, kind === 'folder' ? READ | SEARCH : READ));
}
