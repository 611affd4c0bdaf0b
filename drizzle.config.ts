import { defineConfig } from "drizzle-kit";

/** `npm run db:generate` writes a new migration into watcher/db/migrations from the schema's changes. */
export default defineConfig({
  dialect: "postgresql",
  schema: "./watcher/db/schema.ts",
  out: "./watcher/db/migrations",
});
