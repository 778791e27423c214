/**
 * lib/data: real small datasets, synthetic generators, splits and batches, and augmentations for small images.
 */
export * from "./dataset";
export { dataDirectory } from "./paths";
export * from "./small-datasets";
export * from "./mnist";
export * from "./split";
export type { SeedOptions } from "./internal";
export * from "./synthetic";
export * from "./point-clouds";
export * from "./regression";
export * from "./augment";
export * from "./contours";
export * from "./twelve-bit-task";
