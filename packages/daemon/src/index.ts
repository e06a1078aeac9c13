export type * from './agent/types.js';
