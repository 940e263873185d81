/** Where apply writes the settings it used, and where every command reads them from. */
export const DEFAULT_CONFIG_PATH = '/etc/zimbra-harden/config.json';
