/**
 * Optimal transport in float64, POT-style: small pure functions `method(a, b, C, options)` with a per-iteration
 * history on the entropic solvers.
 */
export type { EntropicTransportResult, SinkhornHistory } from "./types";
export { sinkhorn, SINKHORN_DEFAULTS, type SinkhornOptions, type SinkhornStabilization } from "./sinkhorn";
export {
  sinkhornNewtonSparse,
  SNS_DEFAULTS,
  type SinkhornNewtonSparseOptions,
  type SnsHistory,
  type SnsLineSearchOptions,
  type SnsStage,
} from "./sinkhorn-newton-sparse";
export { emd, type EmdOptions, type EmdResult } from "./emd";
export { wasserstein1d, type Wasserstein1dOptions } from "./wasserstein-1d";
export { slicedWasserstein, SLICED_WASSERSTEIN_DEFAULTS, type SlicedWassersteinOptions } from "./sliced-wasserstein";
export { costMatrix, gridPoints, imageDensity, type GroundMetric } from "./ground-cost";
export { firstBelow, convergenceRows, largestEntriesMass, type FirstBelow, type ConvergenceRow, type ConvergenceRowsOptions } from "./convergence";
export {
  slicedProjectionSamples, controlVariateEstimate, slicedWassersteinCV, SLICED_PROJECTION_DEFAULTS,
  type SlicedProjectionSamplesOptions, type SlicedProjectionSamples, type ControlVariateEstimate, type SlicedEstimator, type SlicedWassersteinCVOptions,
} from "./sliced-control-variates";
export { lbfgs, LBFGS_DEFAULTS, type LbfgsOptions, type LbfgsResult, type ObjectiveWithGradient } from "./lbfgs";
export {
  sparsityConstrainedOT, topKSquaredConjugate, SPARSE_OT_DEFAULTS,
  type SparsityConstrainedOTOptions, type SparseOTResult, type SparseOTHistory,
} from "./sparse-ot";
export { gaussianOTMap, type GaussianOTMap } from "./gaussian-ot";
export { entropicOT, sinkhornDivergence, type EntropicValueOptions, type EntropicOTValue, type SinkhornDivergenceResult } from "./sinkhorn-divergence";
export { mongeGap, mongeGapLoss, sinkhornDivergenceLoss, type MongeGapOptions, type SinkhornDivergenceLossOptions } from "./monge-gap";
export {
  uniformDirection, sampleVonMisesFisher, slicedGradient, maxSlicedDirection,
  type SlicedGradient, type MaxSlicedDirectionOptions,
} from "./sliced-directions";
export { chamferDistance, hausdorffDistance, type ChamferResult } from "./chamfer";
