// The command tree of zimbra-harden read from its own --help (commander's layout), for the man page
// and the bash completion: every command, argument and flag, as the program itself describes them.
import { $ } from 'zx';

/** One `  term   description` line, or a continuation of the previous description. */
function parseItems(lines) {
  const items = [];
  for (const line of lines) {
    const item = /^ {2}(\S.*?)(?: {2,}(\S.*))?$/.exec(line);
    if (item && !/^ {3}/.test(line)) items.push({ term: item[1], description: item[2] ?? '' });
    else if (items.length > 0 && line.trim()) items.at(-1).description = `${items.at(-1).description} ${line.trim()}`.trim();
  }
  return items;
}

function parseOption({ term, description }) {
  const flags = term.split(/,\s*/);
  const long = flags.find((f) => f.startsWith('--'))?.split(' ')[0];
  const short = flags.find((f) => /^-[^-]/.test(f))?.split(' ')[0];
  const value = /[<[]([^>\]]+)[>\]]/.exec(term)?.[1];
  const choices = /\(choices: ([^)]*)\)/.exec(description)?.[1].match(/"[^"]*"/g)?.map((c) => JSON.parse(c));
  return { term, long, short, value, choices, description };
}

/** Splits one --help text into usage, description and its sections. */
export function parseHelp(text) {
  const lines = text.replace(/\r/g, '').split('\n');
  const usage = lines[0].replace(/^Usage:\s*/, '');
  const sections = {};
  const description = [];
  let current;
  for (const line of lines.slice(1)) {
    const heading = /^([A-Z][A-Za-z ]*):$/.exec(line);
    if (heading) current = sections[heading[1]] = [];
    else if (current) current.push(line);
    else if (line.trim()) description.push(line.trim());
  }
  const commands = parseItems(sections.Commands ?? []).map(({ term, description: text }) => {
    const [name, ...rest] = term.split(' ');
    return { name, term, args: rest.filter((r) => r !== '[options]' && r !== '[command]'), description: text };
  });
  return {
    usage,
    description: description.join(' '),
    arguments: parseItems(sections.Arguments ?? []),
    options: parseItems(sections.Options ?? []).map(parseOption),
    commands,
  };
}

/** Runs `cli [...path] --help` for the program and every command below it (commander's own `help` left out). */
export async function readHelpTree(cli, path = []) {
  const text = (await $`${cli} ${path} --help`.quiet()).stdout;
  const node = { path, ...parseHelp(text) };
  const children = node.commands.filter((c) => c.name !== 'help');
  node.children = await Promise.all(children.map(async (c) => ({ ...(await readHelpTree(cli, [...path, c.name])), summary: c.description, args: c.args })));
  return node;
}
