/**
 * Skeleton: this package's public API is not built yet. See README.md for what it will hold.
 * @packageDocumentation
 */
export {};
