/** Replaced at build time by the package version. */
declare const __ZIMBRA_HARDEN_VERSION__: string | undefined;
export const VERSION: string = typeof __ZIMBRA_HARDEN_VERSION__ === 'string' ? __ZIMBRA_HARDEN_VERSION__ : '0.0.0-dev';
