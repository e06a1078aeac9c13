// Only the version module: importing the protocol's index would load zod for `hermes --help`.
export { HERMES_VERSION as CLI_VERSION } from '@hermes/protocol/version';
