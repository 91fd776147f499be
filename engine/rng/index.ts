export { streamState, Rng, Purpose, type PurposeName } from './stream.ts';
