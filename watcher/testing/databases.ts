/**
 * The databases the watcher's tests run against: embedded PGlite always, and a real PostgreSQL server when
 * `WATCHER_TEST_DATABASE_URL` names one (`.ci/run` installs and starts it, so CI always runs both). Each test gets
 * a database of its own, dropped afterwards.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { openDatabase, type Database, type DatabaseTarget } from "../db";

export interface TestDatabase {
  name: string;
  /** A fresh, empty database: where it is (for a watcher to open), and `open` to look inside it. */
  create(): Promise<{ target: DatabaseTarget; open(): Promise<Database>; drop(): Promise<void> }>;
}

const serverUrl = process.env.WATCHER_TEST_DATABASE_URL;
if (!serverUrl && process.env.CI) {
  throw new Error("WATCHER_TEST_DATABASE_URL is not set: CI must run the watcher's tests against PostgreSQL too (see .ci/run)");
}

const pglite: TestDatabase = {
  name: "PGlite",
  async create() {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "watcher-pglite-"));
    const target: DatabaseTarget = { kind: "pglite", dataDir };
    return { target, open: () => openDatabase(target), drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  },
};

function postgres(adminUrl: string): TestDatabase {
  return {
    name: "PostgreSQL",
    async create() {
      const name = `watcher_test_${randomBytes(6).toString("hex")}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const target: DatabaseTarget = { kind: "postgres", url: url.toString() };
      return {
        target,
        open: () => openDatabase(target),
        async drop() {
          const c = new pg.Client({ connectionString: adminUrl });
          await c.connect();
          try {
            // FORCE may not terminate a backend of another role: an autovacuum worker that just started on the test
            // database refuses (42501) until it finishes, which takes a moment. Try again a few times.
            for (let attempt = 1; ; attempt++) {
              try {
                await c.query(`drop database if exists ${name} with (force)`);
                break;
              } catch (error) {
                if ((error as { code?: string }).code !== "42501" || attempt >= 10) throw error;
                await new Promise((r) => setTimeout(r, 500));
              }
            }
          } finally {
            await c.end();
          }
        },
      };
    },
  };
}

export const TEST_DATABASES: TestDatabase[] = serverUrl ? [pglite, postgres(serverUrl)] : [pglite];
