import { monitorSettings as validateMonitor } from './compiled-schemas.js';
import { checkSchema } from './schema-check.js';
import type { MonitorSettings } from './settings.js';

/** The `monitor` section with every default filled in (as monitorSchema.parse, without loading zod: a cron run needs it). */
export function monitorSettings(section: unknown = {}): MonitorSettings {
  const checked = checkSchema<MonitorSettings>(validateMonitor, structuredClone(section));
  if (!checked.ok) throw new Error(`monitor settings: ${checked.key}: ${checked.message}`);
  return checked.value;
}
