// Bash completion for zimbra-harden, from the command tree its --help describes: commands, flags,
// the values of flags with fixed choices, and file names where a flag or argument names a file.

const FILE_VALUES = new Set(['file']);
const DIR_VALUES = new Set(['dir']);

function valueKind(option) {
  if (option.choices) return option.choices.join(' ');
  if (FILE_VALUES.has(option.value)) return '@file';
  if (DIR_VALUES.has(option.value)) return '@dir';
  return '@any';
}

const quote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The tables' key of a command: its path after the program's name (bash keys cannot be empty). */
const keyOf = (path) => ['zimbra-harden', ...path].join(' ');

function tables(node, out) {
  const key = keyOf(node.path);
  out.commands.push(`  [${quote(key)}]=${quote(node.children.map((c) => c.path.at(-1)).join(' '))}`);
  out.options.push(`  [${quote(key)}]=${quote(node.options.flatMap((o) => [o.short, o.long].filter(Boolean)).join(' '))}`);
  for (const o of node.options.filter((o) => o.value)) {
    for (const flag of [o.short, o.long].filter(Boolean)) out.values.push(`  [${quote(`${key}|${flag}`)}]=${quote(valueKind(o))}`);
  }
  const arg = (node.args ?? [])[0];
  if (arg) out.args.push(`  [${quote(key)}]=${quote(DIR_VALUES.has(arg.replace(/[<>[\]]/g, '')) ? '@dir' : '@any')}`);
  for (const child of node.children) tables(child, out);
}

export function renderBashCompletion(tree) {
  const out = { commands: [], options: [], values: [], args: [] };
  tables(tree, out);
  return `# bash completion for zimbra-harden
# Generated from \`zimbra-harden --help\` by scripts/release/completion.mjs; do not edit.

declare -gA _zimbra_harden_commands=(
${out.commands.join('\n')}
)
declare -gA _zimbra_harden_options=(
${out.options.join('\n')}
)
declare -gA _zimbra_harden_values=(
${out.values.join('\n')}
)
declare -gA _zimbra_harden_args=(
${out.args.join('\n')}
)

# The value kind of a flag given at command path $1 or above it (the program's options work anywhere).
_zimbra_harden_value() {
  local path=$1 flag=$2
  while :; do
    if [[ -n \${_zimbra_harden_values["$path|$flag"]+set} ]]; then
      printf '%s' "\${_zimbra_harden_values["$path|$flag"]}"
      return 0
    fi
    [[ $path == *" "* ]] || return 1
    path=\${path% *}
  done
}

_zimbra_harden() {
  local cur=\${COMP_WORDS[COMP_CWORD]} path=zimbra-harden word kind i
  COMPREPLY=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=\${COMP_WORDS[i]}
    if [[ $word == -* ]]; then
      [[ $word == *=* ]] && continue
      _zimbra_harden_value "$path" "$word" >/dev/null && ((i++))
      continue
    fi
    local sub=" \${_zimbra_harden_commands["$path"]} "
    if [[ $sub == *" $word "* ]]; then path+=" $word"; fi
  done

  if ((COMP_CWORD > 1)) && kind=$(_zimbra_harden_value "$path" "\${COMP_WORDS[COMP_CWORD - 1]}"); then
    case $kind in
      @file) COMPREPLY=($(compgen -f -- "$cur")) ;;
      @dir) COMPREPLY=($(compgen -d -- "$cur")) ;;
      @any) ;;
      *) COMPREPLY=($(compgen -W "$kind" -- "$cur")) ;;
    esac
    return 0
  fi

  if [[ $cur == -* ]]; then
    local flags= p=$path
    while :; do
      flags+=" \${_zimbra_harden_options["$p"]}"
      [[ $p == *" "* ]] || break
      p=\${p% *}
    done
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
  elif [[ -n \${_zimbra_harden_commands["$path"]} ]]; then
    COMPREPLY=($(compgen -W "\${_zimbra_harden_commands["$path"]}" -- "$cur"))
  elif [[ \${_zimbra_harden_args["$path"]} == @dir ]]; then
    COMPREPLY=($(compgen -d -- "$cur"))
  fi
  return 0
}

complete -F _zimbra_harden zimbra-harden
`;
}
