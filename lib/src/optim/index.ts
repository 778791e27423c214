/** Optimizers over tf.Variables with explicit updates (PyTorch's semantics), and learning-rate schedules. */
export type { Optimizer, Gradients, LearningRate } from "./optimizer";
export * from "./sgd";
export * from "./adam";
export * from "./schedules";
export * from "./adam-float64";
