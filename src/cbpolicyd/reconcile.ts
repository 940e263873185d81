/**
 * Brings the cbpolicyd rows to a design: every row found by name (never by id), created when
 * missing, repaired when drifted, enabled. The same walk runs read-only (plan, audit) and for real
 * inside one transaction (apply), so what the plan lists is what apply does.
 */
import { PolicyDbError, type PolicyDb } from './db.js';
import { POLICY_PRIORITY, type DesiredGroup, type DesiredPolicy, type DesiredQuota, type QuotaDesign } from './design.js';

type Value = string | number | null;
type Row = Record<string, Value>;

/** A row id of something that does not exist yet (read-only walk). */
const PLANNED = -1;

class Walk {
  readonly changes: string[] = [];

  constructor(
    private readonly db: PolicyDb,
    private readonly write: boolean,
  ) {}

  rows(sql: string, ...params: Value[]): Row[] {
    return this.db.prepare(sql).all(...params) as Row[];
  }

  /** Inserts a row (or only records it); returns its id. */
  insert(table: string, values: Row, what: string): number {
    this.changes.push(`create ${what}`);
    if (!this.write) return PLANNED;
    const cols = Object.keys(values);
    const sql = `INSERT INTO ${table} (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})`;
    return Number(this.db.prepare(sql).run(...Object.values(values)).lastInsertRowid);
  }

  /** Updates the columns that differ; records one line per row. */
  fix(table: string, row: Row, wanted: Row, what: string): void {
    const diffs = Object.entries(wanted).filter(([col, value]) => !same(row[col] ?? null, value));
    if (diffs.length === 0) return;
    const shown = diffs.map(([col, value]) => (col === 'Disabled' ? (value === 0 ? 'disabled → enabled' : 'enabled → disabled') : `${col} ${show(row[col] ?? null)} → ${show(value)}`));
    this.changes.push(`${what}: ${shown.join(', ')}`);
    if (!this.write) return;
    const sql = `UPDATE ${table} SET ${diffs.map(([col]) => `${col} = ?`).join(', ')} WHERE ID = ?`;
    this.db.prepare(sql).run(...diffs.map(([, value]) => value), row.ID ?? null);
  }
}

function same(a: Value, b: Value): boolean {
  if (a === null || b === null) return a === b;
  return typeof b === 'number' ? Number(a) === b : String(a) === b;
}

function show(value: Value): string {
  if (value === null) return 'NULL';
  const text = String(value);
  return typeof value === 'number' ? text : JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

function byId(rows: Row[]): Row[] {
  return [...rows].sort((a, b) => Number(a.ID) - Number(b.ID));
}

function group(w: Walk, g: DesiredGroup): void {
  const [row] = byId(w.rows('SELECT ID, Name, Disabled, Comment FROM policy_groups WHERE Name = ?', g.name));
  const id = row ? Number(row.ID) : w.insert('policy_groups', { Name: g.name, Disabled: 0, Comment: g.comment }, `policy group ${g.name}`);
  if (row) w.fix('policy_groups', row, { Disabled: 0, Comment: g.comment }, `policy group ${g.name}`);
  const existing = id === PLANNED ? [] : byId(w.rows('SELECT ID, Member, Disabled, Comment FROM policy_group_members WHERE PolicyGroupID = ?', id));
  const used = new Set<Row>();
  for (const m of g.members) {
    const found = existing.find((r) => r.Member === m.member && !used.has(r));
    const what = `member ${m.member} of group ${g.name}`;
    if (!found) w.insert('policy_group_members', { PolicyGroupID: id, Member: m.member, Disabled: 0, Comment: m.comment }, what);
    else {
      used.add(found);
      w.fix('policy_group_members', found, { Disabled: 0, Comment: m.comment }, what);
    }
  }
  for (const extra of existing.filter((r) => !used.has(r))) {
    w.fix('policy_group_members', extra, { Disabled: 1 }, `member ${String(extra.Member)} of group ${g.name} (not a submitter any more)`);
  }
}

function quota(w: Walk, policyId: number, policyName: string, q: DesiredQuota): void {
  const what = `quota "${q.name}" of policy "${policyName}"`;
  const wanted = { Track: q.track, Period: q.period, Verdict: q.verdict, Data: q.data, LastQuota: q.lastQuota, Comment: q.comment, Disabled: 0 };
  const [row] = policyId === PLANNED ? [] : byId(w.rows('SELECT * FROM quotas WHERE PolicyID = ? AND Name = ?', policyId, q.name));
  const id = row ? Number(row.ID) : w.insert('quotas', { PolicyID: policyId, Name: q.name, ...wanted }, what);
  if (row) w.fix('quotas', row, wanted, what);
  const limits = id === PLANNED ? [] : byId(w.rows("SELECT * FROM quotas_limits WHERE QuotasID = ? AND lower(trim(Type)) = 'messagecount'", id));
  const limitWhat = `MessageCount limit of ${what}`;
  const limit = { Type: 'MessageCount', CounterLimit: q.limit.counterLimit, Comment: q.limit.comment, Disabled: 0 };
  const [first, ...others] = limits;
  if (!first) w.insert('quotas_limits', { QuotasID: id, ...limit }, `${limitWhat} (CounterLimit ${q.limit.counterLimit})`);
  else w.fix('quotas_limits', first, limit, limitWhat);
  for (const extra of others) w.fix('quotas_limits', extra, { Disabled: 1 }, `duplicate ${limitWhat} (ID ${String(extra.ID)})`);
}

function policy(w: Walk, p: DesiredPolicy): void {
  const [row] = byId(w.rows('SELECT ID, Name, Priority, Description, Disabled FROM policies WHERE Name = ?', p.name));
  const managed: Record<string, Value> = { Disabled: 0 };
  if (p.priority !== undefined) managed.Priority = p.priority;
  if (p.description !== undefined) managed.Description = p.description;
  let id: number;
  if (row) {
    id = Number(row.ID);
    w.fix('policies', row, managed, `policy "${p.name}"`);
  } else if (p.create) {
    id = w.insert('policies', { Name: p.name, Priority: p.priority ?? POLICY_PRIORITY, Description: p.description ?? null, Disabled: 0 }, `policy "${p.name}"`);
  } else {
    throw new PolicyDbError(`the cbpolicyd database has no policy "${p.name}" (a stock row): it was deleted or renamed; restore it or use --quota-style per-account`);
  }
  if (p.members) {
    const existing = id === PLANNED ? [] : byId(w.rows('SELECT ID, Source, Destination, Comment, Disabled FROM policy_members WHERE PolicyID = ?', id));
    const used = new Set<Row>();
    for (const m of p.members) {
      const found = existing.find((r) => !used.has(r) && r.Source === m.source && (r.Destination ?? null) === m.destination);
      const what = `member ${m.source ?? 'any'} → ${m.destination ?? 'any'} of policy "${p.name}"`;
      if (!found) w.insert('policy_members', { PolicyID: id, Source: m.source, Destination: m.destination, Comment: m.comment, Disabled: 0 }, what);
      else {
        used.add(found);
        w.fix('policy_members', found, { Comment: m.comment, Disabled: 0 }, what);
      }
    }
    for (const extra of existing.filter((r) => !used.has(r))) {
      w.fix('policy_members', extra, { Disabled: 1 }, `member ${String(extra.Source ?? 'any')} → ${String(extra.Destination ?? 'any')} of policy "${p.name}" (not part of the design)`);
    }
  }
  for (const q of p.quotas) quota(w, id, p.name, q);
}

function retire(w: Walk, design: QuotaDesign): void {
  for (const r of design.retire) {
    for (const p of byId(w.rows('SELECT ID, Disabled FROM policies WHERE Name = ?', r.policy))) {
      if (!r.quota) {
        w.fix('policies', p, { Disabled: 1 }, `policy "${r.policy}" (${r.why})`);
        continue;
      }
      for (const q of byId(w.rows('SELECT ID, Disabled FROM quotas WHERE PolicyID = ? AND Name = ?', Number(p.ID), r.quota))) {
        w.fix('quotas', q, { Disabled: 1 }, `quota "${r.quota}" of policy "${r.policy}" (${r.why})`);
      }
    }
  }
}

/** Walks the design; with write=false nothing changes. Returns one line per row created or repaired. */
export function reconcile(db: PolicyDb, design: QuotaDesign, write: boolean): string[] {
  const w = new Walk(db, write);
  for (const g of design.groups) group(w, g);
  for (const p of design.policies) policy(w, p);
  retire(w, design);
  return w.changes;
}

/**
 * Enabled quotas with "Stop processing here" (LastQuota=1) on enabled policies that cbpolicyd
 * evaluates before ours (lower Priority): for mail they match, our limits are never reached.
 */
export function shadowingQuotas(db: PolicyDb, design: QuotaDesign): string[] {
  if (design.style !== 'per-account') return [];
  const retired = new Set(design.retire.map((r) => `${r.policy}\0${r.quota ?? ''}`));
  const rows = w(db).rows(
    "SELECT q.Name AS quota, p.Name AS policy, p.Priority AS priority FROM quotas q JOIN policies p ON p.ID = q.PolicyID WHERE q.Disabled = 0 AND p.Disabled = 0 AND trim(q.LastQuota) = '1' AND p.Priority < ? ORDER BY p.Priority, q.ID",
    POLICY_PRIORITY,
  );
  return rows
    .filter((r) => !retired.has(`${String(r.policy)}\0${String(r.quota)}`))
    .map((r) => `quota "${String(r.quota)}" of policy "${String(r.policy)}" (priority ${String(r.priority)}) says "stop processing here": mail it matches never reaches these limits`);
}

function w(db: PolicyDb): Walk {
  return new Walk(db, false);
}
