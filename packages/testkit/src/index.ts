export { startPostgres, findPostgresBin, type PostgresServer } from './postgres.ts';
