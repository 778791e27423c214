/** Training loops: a generic step for custom objectives and a classifier trainer with metrics history. */
export { trainStep } from "./step";
export { classifierLoss } from "./loss";
export type { ClassificationData } from "./data";
export * from "./classifier";
export { pullbackStep, type PointLossValue, type PullbackStepResult } from "./pullback-step";
