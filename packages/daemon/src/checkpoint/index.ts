export * from './run-checkpoint.js';
export * from './store.js';
export * from './rewind.js';
export * from './pins.js';
export * from './prune.js';
export * from './service.js';
