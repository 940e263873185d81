/** zimbra-harden's own state on the server: root-owned, never served, kept across runs. */
export const STATE_DIR = '/var/lib/zimbra-harden';
/** Copies of every file apply replaced (outside any web server's document root). */
export const BACKUP_DIR = `${STATE_DIR}/backups`;
