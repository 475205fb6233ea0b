export { openSqlite, closeSqlite, type SqliteDatabase, type Migrations } from './open.js';
