/**
 * Reading a tensor's values after tensor work. `tf.tidy(() => t.dataSync())` looks harmless but is slow on large
 * outputs: tidy walks whatever the function returns looking for tensors to keep, and a typed array is walked
 * element by element (about 1 s for a few hundred thousand values). So compute the tensor inside tidy, then read
 * it outside and dispose it.
 */
import { tf } from "./tf";

/** The values of the tensor `compute()` returns; every other tensor it makes is disposed (as with tf.tidy). */
export function tidyData(compute: () => tf.Tensor): tf.TypedArray {
  const result = tf.tidy(compute);
  try {
    return result.dataSync();
  } finally {
    result.dispose();
  }
}
