// Types of what the tests read from eslint.config.mjs.
/** What each folder (or top-level file) of src/ may import of ours, besides itself. */
export declare const MAY_IMPORT: Record<string, readonly string[]>;
declare const config: unknown[];
export default config;
