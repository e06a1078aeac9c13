export * from './run-checkpoint.js';
export * from './store.js';
