// Command-line tools take their database from the same variables as the gateway (config.ts).
export { databaseTargetFromEnv } from '../config.ts';
