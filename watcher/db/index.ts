/**
 * Opens the watcher's database: PostgreSQL when a URL is given, else an embedded PGlite in a data folder (or in
 * memory for tests), then applies the migrations. Both speak the same SQL through drizzle, so every query in the
 * watcher runs unchanged on either.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import * as schema from "./schema";

export { schema };
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

export type DatabaseTarget = { kind: "postgres"; url: string } | { kind: "pglite"; dataDir: string | null };

export interface Database {
  db: Db;
  /** "PostgreSQL at host:port/db" or "embedded PGlite in <dir>", for logs and /status (never the password). */
  describe: string;
  /** Throws when the database does not answer (used by /health and the retry loop). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {}

/** Opens and migrates. A PostgreSQL server that refuses the connection throws `DatabaseUnavailableError`. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === "postgres") {
    const url = new URL(target.url);
    const describe = `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`;
    const pool = new pg.Pool({ connectionString: target.url, max: 8, connectionTimeoutMillis: 5_000 });
    // An idle client dropped by a restarting server must not crash the process; the next query reconnects.
    pool.on("error", () => {});
    try {
      await pool.query("select 1");
    } catch (error) {
      await pool.end().catch(() => {});
      throw new DatabaseUnavailableError(`${describe} is not reachable: ${(error as Error).message}`);
    }
    const db = drizzlePg({ client: pool, schema });
    await migratePg(db, { migrationsFolder: MIGRATIONS });
    return {
      db: db as unknown as Db,
      describe,
      ping: async () => void (await pool.query("select 1")),
      close: () => pool.end(),
    };
  }
  const client = target.dataDir ? new PGlite(target.dataDir) : new PGlite();
  const db = drizzlePglite({ client, schema });
  await migratePglite(db, { migrationsFolder: MIGRATIONS });
  return {
    db: db as unknown as Db,
    describe: target.dataDir ? `embedded PGlite in ${target.dataDir}` : "embedded PGlite in memory",
    ping: async () => void (await client.query("select 1")),
    close: () => client.close(),
  };
}
