/**
 * Information-theoretic estimators shared by the information-bottleneck, dependence-measure and coupling notebooks:
 * Cauchy-Schwarz divergence and quadratic mutual information with Gaussian kernels (float64 and tensors).
 */
export * from "./cauchy-schwarz";
export * from "./friedman";
export * from "./cs-ib";
export * from "./wasserstein-dependency";
export * from "./entropy-coupling";
export * from "./adaptive-binning";
export * from "./information-plane-mlp";
