/** The local development database (the machine's PostgreSQL, trust auth); defined with the env schemas in core. */
export { DEFAULT_DATABASE_URL } from "@shelf/core";
