export { FEN_PER_YUAN, roundHalfUp, yuanToFen, fenToYuan, isFen, assertFen, applyRate } from './fen.ts';
export { largestRemainderSplit } from './split.ts';
