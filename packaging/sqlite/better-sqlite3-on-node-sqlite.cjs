'use strict';
/*
 * The part of better-sqlite3's API that zimbra-harden uses, over Node's built-in node:sqlite.
 *
 * The self-contained release installs this file as node_modules/better-sqlite3, so the same
 * bundle (which imports 'better-sqlite3') runs on the bundled Node runtime without a native
 * module: a module compiled on the build machine would need that machine's newer glibc, while
 * node:sqlite is inside the Node binary, whose glibc floor is the one the release states.
 */

const fs = require('node:fs');

/** SQLite primary result codes, by number, as better-sqlite3 names them in error.code. */
const RESULT_NAMES = {
  1: 'SQLITE_ERROR', 2: 'SQLITE_INTERNAL', 3: 'SQLITE_PERM', 4: 'SQLITE_ABORT', 5: 'SQLITE_BUSY',
  6: 'SQLITE_LOCKED', 7: 'SQLITE_NOMEM', 8: 'SQLITE_READONLY', 9: 'SQLITE_INTERRUPT', 10: 'SQLITE_IOERR',
  11: 'SQLITE_CORRUPT', 12: 'SQLITE_NOTFOUND', 13: 'SQLITE_FULL', 14: 'SQLITE_CANTOPEN', 15: 'SQLITE_PROTOCOL',
  16: 'SQLITE_EMPTY', 17: 'SQLITE_SCHEMA', 18: 'SQLITE_TOOBIG', 19: 'SQLITE_CONSTRAINT', 20: 'SQLITE_MISMATCH',
  21: 'SQLITE_MISUSE', 22: 'SQLITE_NOLFS', 23: 'SQLITE_AUTH', 24: 'SQLITE_FORMAT', 25: 'SQLITE_RANGE', 26: 'SQLITE_NOTADB',
};

class SqliteError extends Error {
  constructor(message, code) {
    super(message);
    this.name = 'SqliteError';
    this.code = code;
  }
}

/** node:sqlite throws code ERR_SQLITE_ERROR with the numeric errcode; better-sqlite3 code names. */
function translate(error) {
  if (!error || error.code !== 'ERR_SQLITE_ERROR' || typeof error.errcode !== 'number') return error;
  const name = RESULT_NAMES[error.errcode & 0xff] ?? 'SQLITE_ERROR';
  const translated = new SqliteError(error.message, name);
  translated.cause = error;
  return translated;
}

function guard(fn) {
  try {
    return fn();
  } catch (error) {
    throw translate(error);
  }
}

let sqlite;
/** Loaded on first use, without the one-time ExperimentalWarning (it would reach cron's mail). */
function nodeSqlite() {
  if (sqlite) return sqlite;
  const emitWarning = process.emitWarning;
  process.emitWarning = function (warning, ...rest) {
    const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
    if (type === 'ExperimentalWarning' && /SQLite/.test(String(warning))) return;
    return emitWarning.call(process, warning, ...rest);
  };
  try {
    sqlite = process.getBuiltinModule('node:sqlite');
  } finally {
    process.emitWarning = emitWarning;
  }
  return sqlite;
}

const plain = (row) => (row === undefined ? undefined : { ...row });

class Statement {
  constructor(statement) {
    this.statement = statement;
  }
  run(...params) {
    return guard(() => this.statement.run(...params));
  }
  get(...params) {
    return guard(() => plain(this.statement.get(...params)));
  }
  all(...params) {
    return guard(() => this.statement.all(...params).map(plain));
  }
}

class Database {
  constructor(file, options = {}) {
    const readonly = Boolean(options.readonly);
    const timeout = options.timeout ?? 5000;
    if (options.fileMustExist && file !== ':memory:' && !fs.existsSync(file)) {
      throw new SqliteError('unable to open database file', 'SQLITE_CANTOPEN');
    }
    this.db = guard(() => new (nodeSqlite().DatabaseSync)(file, { readOnly: readonly, timeout }));
    this.readonly = readonly;
    this.name = file;
    this.depth = 0;
  }

  get open() {
    return this.db.isOpen;
  }

  get inTransaction() {
    return this.db.isTransaction;
  }

  prepare(sql) {
    return new Statement(guard(() => this.db.prepare(sql)));
  }

  exec(sql) {
    guard(() => this.db.exec(sql));
    return this;
  }

  /** `PRAGMA x`; with { simple: true } the first column of the first row, as better-sqlite3 does. */
  pragma(source, options = {}) {
    const rows = this.prepare(`PRAGMA ${source}`).all();
    if (!options.simple) return rows;
    return rows.length === 0 ? undefined : Object.values(rows[0])[0];
  }

  /** fn in a transaction (BEGIN, or a savepoint inside another); committed, or rolled back on a throw. */
  transaction(fn) {
    const wrap = (begin) => (...args) => {
      const nested = this.db.isTransaction;
      const savepoint = `zh_sp_${this.depth}`;
      this.exec(nested ? `SAVEPOINT ${savepoint}` : begin);
      this.depth += 1;
      try {
        const result = fn(...args);
        this.exec(nested ? `RELEASE ${savepoint}` : 'COMMIT');
        return result;
      } catch (error) {
        if (this.db.isTransaction) this.exec(nested ? `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}` : 'ROLLBACK');
        throw error;
      } finally {
        this.depth -= 1;
      }
    };
    const run = wrap('BEGIN');
    run.deferred = wrap('BEGIN DEFERRED');
    run.immediate = wrap('BEGIN IMMEDIATE');
    run.exclusive = wrap('BEGIN EXCLUSIVE');
    return run;
  }

  close() {
    if (this.db.isOpen) this.db.close();
    return this;
  }
}

Database.SqliteError = SqliteError;
module.exports = Database;
module.exports.default = Database;
module.exports.SqliteError = SqliteError;
