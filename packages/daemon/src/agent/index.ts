export { createAgent, DEFAULT_MAX_ITERATIONS } from './loop.js';
