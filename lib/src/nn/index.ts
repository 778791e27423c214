/** Neural-network building blocks on a fast training path: ops, layers, models, initialisers. */
export { ACTIVATIONS, gelu, activate } from "./activations";
export type { Activation } from "./activations";
export * from "./init";
export { dense } from "./dense";
export type { DenseOptions } from "./dense";
export { conv2d, convOutputSize } from "./conv";
export type { Conv2dOptions } from "./conv";
export { maxPool2d } from "./pool";
export * from "./dropout";
export * from "./batch-norm";
export * from "./layers";
export * from "./models";
export * from "./multi-sample-dropout";
export { odeFlow, odeTrajectory, ODE_FLOW_DEFAULTS, type OdeFlowOptions } from "./neural-ode";
