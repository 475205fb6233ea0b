export { openSqlite, closeSqlite, scrubDeleted, type SqliteDatabase, type Migrations } from './open.js';
