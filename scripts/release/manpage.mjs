// zimbra-harden.8 in roff, from the command tree its --help describes.

/** Text for roff: backslashes and hyphens escaped, no line starting with a control character, non-ASCII as \\[uXXXX]. */
const text = (s) =>
  s
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .replace(/^([.'])/gm, '\\&$1')
    .replace(/[^\x00-\x7f]/gu, (c) => `\\[u${c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);

/** `-y, --yes` → bold flags, italic value names. */
function term(t) {
  return t
    .split(/(<[^>]+>|\[[^\]]+\])/)
    .map((part) => (/^[<[]/.test(part) ? `\\fI${text(part)}\\fR` : part ? `\\fB${text(part)}\\fR` : ''))
    .join('');
}

function options(list) {
  return list.flatMap((o) => ['.TP', term(o.term), text(o.description)]);
}

function commandSection(node) {
  const lines = ['.SS "' + text(node.usage.replace(/"/g, '')) + '"', text(node.description || node.summary || '')];
  const own = node.options.filter((o) => o.long !== '--help');
  if (own.length > 0) lines.push(...options(own));
  for (const child of node.children) lines.push(...commandSection(child));
  return lines;
}

export const FILES = [
  ['/etc/zimbra-harden/config.json', 'the settings apply used, read by every command (written by apply, mode 0600)'],
  ['/var/lib/zimbra-harden/', 'the log monitor\'s state and the apply lock'],
  ['/etc/cron.d/zimbra-harden', 'the log monitor\'s cron entry (written by apply with \\-\\-report\\-to, or cron install)'],
];

export const EXIT_CODES = [
  ['0', 'success; with \\-\\-detailed\\-exitcode, nothing to change'],
  ['1', 'an error, or a step that failed'],
  ['2', 'plan and audit with \\-\\-detailed\\-exitcode: something would change or drifted; monitor and incident: something was found'],
  ['64', 'bad flags or arguments'],
  ['78', 'a bad config file'],
  ['130', 'interrupted (Ctrl\\-C); nothing was changed'],
];

/** The whole page; `date` as YYYY-MM-DD so a rebuild of the same commit gives the same file. */
export function renderManPage(tree, { version, date }) {
  const global = tree.options.filter((o) => o.long !== '--help');
  return [
    `.\\" Generated from \`zimbra-harden --help\` by scripts/release/manpage.mjs; do not edit.`,
    `.TH ZIMBRA\\-HARDEN 8 "${date}" "zimbra\\-harden ${text(version)}" "System Administration"`,
    '.SH NAME',
    `zimbra\\-harden \\- ${text(tree.description.split(':')[0].replace(/^./, (c) => c.toLowerCase()))}`,
    '.SH SYNOPSIS',
    '.B zimbra\\-harden',
    '[\\fIoptions\\fR] [\\fIcommand\\fR] [\\fIcommand options\\fR]',
    '.SH DESCRIPTION',
    text(tree.description),
    'Without a command, on a terminal, it runs the guided session (wizard); elsewhere it behaves as',
    '.BR "apply \\-n" .',
    'The options below are accepted before or after the command.',
    '.SH OPTIONS',
    ...options(global),
    '.SH COMMANDS',
    ...tree.children.flatMap(commandSection),
    '.SH EXIT STATUS',
    ...EXIT_CODES.flatMap(([code, meaning]) => ['.TP', `.B ${code}`, meaning]),
    '.SH FILES',
    ...FILES.flatMap(([file, meaning]) => ['.TP', `.I ${text(file)}`, meaning]),
    '.SH SEE ALSO',
    '.BR zmprov (1),',
    '.BR postconf (1),',
    '.BR crontab (5)',
    '',
  ].join('\n');
}
