export { FEN_PER_YUAN, yuanToFen, fenToYuan, isFen, assertFen, applyRate } from './fen.ts';
export { largestRemainderSplit } from './split.ts';
