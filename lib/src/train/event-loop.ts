/**
 * Lets pending I/O run between training steps: without it a long synchronous training loop holds the kernel's event
 * loop, so progress lines and interrupt requests wait until the loop ends.
 */
export const yieldToEventLoop = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));
