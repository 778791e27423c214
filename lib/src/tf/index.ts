/** TensorFlow.js for reprobook: the shared `tf` instance and the backend choice. */
export { tf } from "./tf";
export { initBackend, ready, backendInfo, BACKEND_CHOICES } from "./backend";
export type { BackendChoice, BackendInfo } from "./backend";
export { registerTfjsGradients, gradientsRegistered } from "./gradients";
export { registerCpuFallbacks } from "./cpu-fallback";
export { tidyData } from "./tidy-data";
