/** The simulated Zimbra host: creation, state and call log helpers for tests and the benchmark. */
export { createSandbox, DEFAULT_LOCAL_PARTS, type SandboxInfo, type SandboxOptions } from './create.js';
export { countCalls, readCalls, type Call } from './calls.js';
export { readLdap, readServices, writeLdap, writeServices, type Attrs, type LdapState, type ServicesState } from './state.js';
export { seedQueue, type SeedMessage } from './queue/seed.js';
export { listMessages, type QueuedMessage } from './queue/store.js';
export { seedIncident, INCIDENT_PUBLIC_IP, type IncidentSummary } from './incident.js';
