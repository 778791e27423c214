/**
 * @reprobook/lib: the shared library behind every reprobook notebook.
 * One folder per field; each folder's index re-exports its public API.
 */
export * from "./core";
export * from "./data";
export * from "./losses";
export * from "./tf";
export * from "./plot";
export * from "./metrics";
export * from "./nn";
export * from "./optim";
export * from "./train";
export * from "./transport";
export * from "./experiments";
export * from "./embedding";
export * from "./ssl";
export * from "./information";
export * from "./retrieval";
export * from "./pde";
