/** Postfix master.cf as Zimbra renders it from master.cf.in, and its per-service `-o` overrides. */
import { since, type VersionProfile } from '../versions.js';

type Entry = [service: string, type: string, priv: string, unpriv: string, chroot: string, wakeup: string, maxproc: string, command: string, options?: string[]];

function entry([service, type, priv, unpriv, chroot, wakeup, maxproc, command, options = []]: Entry): string {
  const head = [service.padEnd(9), type.padEnd(5), priv.padEnd(7), unpriv.padEnd(7), chroot.padEnd(7), wakeup.padEnd(7), maxproc.padEnd(7), command].join(' ');
  return [head, ...options.map((o) => `\t-o ${o}`)].join('\n');
}

/** master.cf for a release; `services` is the server's zimbraServiceEnabled. */
export function renderMasterCf(profile: VersionProfile, services: readonly string[]): string {
  const enabled = new Set(services);
  const modern = since(profile, '8.0.0');
  const dkim = modern && enabled.has('opendkim') ? ['content_filter=scan:[127.0.0.1]:10030'] : [];
  const submissionCommon = modern
    ? ['smtpd_client_restrictions=permit_sasl_authenticated,reject', 'smtpd_data_restrictions=', 'smtpd_helo_restrictions=', 'smtpd_recipient_restrictions=', 'smtpd_relay_restrictions=permit_sasl_authenticated,reject']
    : ['smtpd_client_restrictions=permit_sasl_authenticated,reject'];
  const entries: Entry[] = [
    modern ? ['smtp', 'inet', 'n', '-', 'n', '-', '1', 'postscreen'] : ['smtp', 'inet', 'n', '-', 'n', '-', '-', 'smtpd'],
  ];
  if (modern) {
    entries.push(['tlsproxy', 'unix', '-', '-', 'n', '-', '0', 'tlsproxy'], ['dnsblog', 'unix', '-', '-', 'n', '-', '0', 'dnsblog']);
    entries.push(['smtpd', 'pass', '-', '-', 'n', '-', '-', 'smtpd', [...dkim]]);
  }
  entries.push(
    ['465', 'inet', 'n', '-', 'n', '-', '-', 'smtpd', [...dkim, 'smtpd_sasl_auth_enable=yes', 'smtpd_tls_wrappermode=yes', ...submissionCommon.map((o) => (o.startsWith('smtpd_client_restrictions') && modern ? 'smtpd_client_restrictions=' : o)), 'syslog_name=postfix/smtps', 'milter_macro_daemon_name=ORIGINATING']],
    ['submission', 'inet', 'n', '-', 'n', '-', '-', 'smtpd', [...dkim, 'smtpd_etrn_restrictions=reject', 'smtpd_sasl_auth_enable=yes', 'smtpd_tls_security_level=may', ...submissionCommon, 'syslog_name=postfix/submission', 'milter_macro_daemon_name=ORIGINATING']],
    ['pickup', 'unix', 'n', '-', 'n', '60', '1', 'pickup'],
    ['cleanup', 'unix', 'n', '-', 'n', '-', '0', 'cleanup'],
    ['qmgr', 'unix', 'n', '-', 'n', '300', '1', 'qmgr'],
    ['tlsmgr', 'unix', '-', '-', 'n', '1000?', '1', 'tlsmgr'],
    ['rewrite', 'unix', '-', '-', 'n', '-', '-', 'trivial-rewrite'],
    ['bounce', 'unix', '-', '-', 'n', '-', '0', 'bounce'],
    ['defer', 'unix', '-', '-', 'n', '-', '0', 'bounce'],
    ['trace', 'unix', '-', '-', 'n', '-', '0', 'bounce'],
    ['verify', 'unix', '-', '-', 'n', '-', '1', 'verify'],
    ['flush', 'unix', 'n', '-', 'n', '1000?', '0', 'flush'],
    ['proxymap', 'unix', '-', '-', 'n', '-', '-', 'proxymap'],
    ['smtp', 'unix', '-', '-', 'n', '-', '-', 'smtp'],
    ['relay', 'unix', '-', '-', 'n', '-', '-', 'smtp'],
    ['showq', 'unix', 'n', '-', 'n', '-', '-', 'showq'],
    ['error', 'unix', '-', '-', 'n', '-', '-', 'error'],
    ['retry', 'unix', '-', '-', 'n', '-', '-', 'error'],
    ['discard', 'unix', '-', '-', 'n', '-', '-', 'discard'],
    ['local', 'unix', '-', 'n', 'n', '-', '-', 'local'],
    ['virtual', 'unix', '-', 'n', 'n', '-', '-', 'virtual'],
    ['lmtp', 'unix', '-', '-', 'n', '-', '-', 'lmtp'],
    ['anvil', 'unix', '-', '-', 'n', '-', '1', 'anvil'],
    ['scache', 'unix', '-', '-', 'n', '-', '1', 'scache'],
    ['smtp-amavis', 'unix', '-', '-', 'n', '-', '10', 'smtp', ['smtp_data_done_timeout=1200', 'smtp_send_xforward_command=yes', 'disable_dns_lookups=yes', 'max_use=20']],
    [
      '[127.0.0.1]:10025',
      'inet',
      'n',
      '-',
      'n',
      '-',
      '-',
      'smtpd',
      [
        'content_filter=',
        'local_recipient_maps=',
        'virtual_mailbox_maps=',
        'virtual_alias_maps=',
        'relay_recipient_maps=',
        'smtpd_restriction_classes=',
        'smtpd_delay_reject=no',
        'smtpd_client_restrictions=permit_mynetworks,reject',
        'smtpd_data_restrictions=',
        'smtpd_end_of_data_restrictions=',
        'smtpd_helo_restrictions=',
        'smtpd_milters=',
        'smtpd_sender_restrictions=',
        'smtpd_reject_unlisted_sender=no',
        ...(modern ? ['smtpd_relay_restrictions='] : []),
        'smtpd_recipient_restrictions=permit_mynetworks,reject',
        'mynetworks_style=host',
        'mynetworks=127.0.0.0/8,[::1]/128',
        'syslog_name=postfix/amavisd',
      ],
    ],
  );
  if (modern) {
    entries.push([
      '[127.0.0.1]:10030',
      'inet',
      'n',
      '-',
      'n',
      '-',
      '-',
      'smtpd',
      ['smtpd_client_restrictions=permit_mynetworks,reject', 'smtpd_sender_restrictions=', 'smtpd_recipient_restrictions=permit_mynetworks,reject', 'smtpd_relay_restrictions=', 'smtpd_end_of_data_restrictions=', 'syslog_name=postfix/dkimmilter'],
    ]);
  }
  const header = [
    '#',
    '# Postfix master process configuration file.  For details on the format',
    '# of the file, see the Postfix master(5) manual page.',
    '#',
    '# ==========================================================================',
    '# service type  private unpriv  chroot  wakeup  maxproc command + args',
    '#               (yes)   (yes)   (yes)   (never) (100)',
    '# ==========================================================================',
  ];
  return `${[...header, ...entries.map(entry)].join('\n')}\n`;
}

export interface MasterOverride {
  service: string;
  type: string;
  param: string;
  value: string;
}

/** The `-o name=value` overrides of every service, in file order (what `postconf -P` lists). */
export function parseMasterOverrides(text: string): MasterOverride[] {
  const out: MasterOverride[] = [];
  let current: { service: string; type: string } | undefined;
  for (const line of text.split('\n')) {
    if (/^\s*(#|$)/.test(line)) continue;
    if (!/^\s/.test(line)) {
      const [service, type] = line.trim().split(/\s+/);
      current = service && type ? { service, type } : undefined;
      const inline = line.split(/\s+/).slice(8);
      for (let i = 0; i < inline.length; i++) {
        if (inline[i] === '-o' && current) pushOverride(out, current, inline[++i] ?? '');
      }
      continue;
    }
    if (!current) continue;
    const words = line.trim().split(/\s+/);
    for (let i = 0; i < words.length; i++) {
      if (words[i] === '-o') pushOverride(out, current, words[++i] ?? '');
    }
  }
  return out;
}

function pushOverride(out: MasterOverride[], svc: { service: string; type: string }, spec: string): void {
  const eq = spec.indexOf('=');
  if (eq <= 0) return;
  out.push({ ...svc, param: spec.slice(0, eq), value: spec.slice(eq + 1) });
}
