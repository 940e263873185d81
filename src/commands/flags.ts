import { Option, type Command } from 'commander';

/** Raw setting flags as commander parses them (see settings-flags.ts for their meaning). */
export interface SettingFlags {
  catchAll?: string[];
  restart?: 'services' | 'full' | 'none';
  forceMtaRestriction?: boolean;
  skip?: string[];
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The flags that set hardening settings; each mirrors a config key (README "Settings"). Kept light: loaded at start-up. */
export function addSettingFlags(command: Command): Command {
  return command
    .option('--catch-all <domain=account>', 'catch-all account of a domain, repeatable (config: catchAll)', collect)
    .addOption(new Option('--restart <strategy>', 'services (default), full or none (config: restart)').choices(['services', 'full', 'none']))
    .option('--force-mta-restriction', "also write the recipe's literal zimbraMtaRestriction on 8.0+ (config: forceMtaRestriction)")
    .option('--skip <id>', 'leave a control alone, repeatable (config: skip)', collect);
}
