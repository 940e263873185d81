/** The `version` of the monitor's state file; a file of another version is read as none. */
export const STATE_VERSION = 1;
