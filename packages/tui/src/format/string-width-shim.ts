// What Ink and its libraries get when they import `string-width` in the bundle (see
// scripts/bundle.mjs): the same widths, with the fast path of ./width.ts in front.
import { fastStringWidth } from './width.js';

export default fastStringWidth;
