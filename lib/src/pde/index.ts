/** PDE solvers with neural networks (PINNs): a float64 tanh network with its Laplacian, test problems, collocation samplers. */
export * from "./tanh-network";
export * from "./poisson-peak";
export * from "./adaptive-sampling";
export * from "./train-pinn";
