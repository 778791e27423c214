/**
 * Losses: classification (log-softmax family and the spherical family with the Z-loss) and self-supervised
 * (Barlow Twins, InfoNCE / NT-Xent). Every tensor loss runs inside tf.tidy and returns a tensor that the
 * caller owns.
 */
export type { ClassLabels, LossReduction, ReducedLoss, ReductionOptions } from "./common";
export * from "./classification";
export * from "./spherical";
export * from "./ssl";
export * from "./contrastive";
export * from "./comp-sum";
export * from "./ldr";
export * from "./label-noise";
export * from "./margin";
export * from "./stop-gradient";
export * from "./sface";
export * from "./orthogonal-projection";
export * from "./unpg";
export * from "./symmetry";
export * from "./comp-sum-bounds";
export * from "./anyloss";
export * from "./ensloss";
export * from "./metric";
export * from "./calibration";
export * from "./bag";
export * from "./tempnet";
export * from "./prototypical";
export * from "./icnn";
export * from "./energy-confusion";
