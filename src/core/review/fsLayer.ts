// The review store's file layer is core's (src/core/fsLayer.ts); this path stays for its importers.
export * from '../fsLayer';
