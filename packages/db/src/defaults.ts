/** The local development database (the machine's PostgreSQL, trust auth). */
export const DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/shelf";
