// opencc-js exports its per-locale dictionary groups through a `./*` wildcard without types.
// Only the traditional → simplified (mainland) group is used (src/clinical/traditional.ts).
declare module 'opencc-js/to/cn' {
  import type { DictGroup } from 'opencc-js/core';
  const groups: readonly DictGroup[];
  export default groups;
}
