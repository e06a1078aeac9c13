export * from './run-checkpoint.js';
export * from './store.js';
export * from './rewind.js';
