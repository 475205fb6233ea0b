export { print, table } from '../kit/index.js';
