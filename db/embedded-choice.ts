/**
 * Which embedded database a data folder uses when no DATABASE_URL is set (pure): the one asked for
 * (MATRIX_ARENA_DB), else the one the folder already holds (so an upgrade never hides existing data
 * behind an empty new database), else the embedded PostgreSQL where it can run here, else PGlite.
 */
export type EmbeddedDriver = "pglite" | "embedded";

export interface EmbeddedChoiceInput {
  requested: EmbeddedDriver | undefined;
  /** `<dataDir>/pglite` holds a PGlite database. */
  holdsPglite: boolean;
  /** `<dataDir>/postgres` holds an embedded PostgreSQL database. */
  holdsPostgres: boolean;
  /** Why the embedded PostgreSQL cannot run here, or null; asked only when it matters. */
  embeddedUnavailable: () => string | null;
}

export function pickEmbeddedDriver(i: EmbeddedChoiceInput): { driver: EmbeddedDriver; reason: string } {
  if (i.requested) return { driver: i.requested, reason: "MATRIX_ARENA_DB" };
  if (i.holdsPostgres) return { driver: "embedded", reason: i.holdsPglite ? "the folder holds an embedded PostgreSQL database (and a PGlite one, unused: MATRIX_ARENA_DB=pglite opens it)" : "the folder holds an embedded PostgreSQL database" };
  if (i.holdsPglite) return { driver: "pglite", reason: "the folder holds a PGlite database" };
  const why = i.embeddedUnavailable();
  return why === null ? { driver: "embedded", reason: "the default" } : { driver: "pglite", reason: `the embedded PostgreSQL cannot run here: ${why}` };
}
