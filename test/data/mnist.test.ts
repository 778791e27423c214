import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { FASHION_MNIST_CLASSES, FASHION_MNIST_DIR, classCounts, loadFashionMnist, loadMnist, parseIdx, rng } from "@reprobook/lib";

// First in this file, so that it runs before any call decodes all 10,000 digits: the prefix path is what it checks.
test("loadMnist({ n }) decodes only the first n samples, equal to the whole-file decoding, also past the smallest class", () => {
  const first = loadMnist({ n: 1000 }); // 100 per class: a prefix of each file
  const longer = loadMnist({ n: 8645 }); // class 5 (863 digits) runs out after sample 8629: decodes everything
  const all = loadMnist();
  assert.deepEqual(first.x, all.x.subarray(0, 1000 * 784));
  assert.deepEqual(first.y, all.y.subarray(0, 1000));
  assert.deepEqual(longer.x, all.x.subarray(0, 8645 * 784));
  assert.deepEqual(longer.y, all.y.subarray(0, 8645));
  // past 10 × 863 the round-robin skips the exhausted class 5: …, 8, 9, 0, 1, 2, 3, 4, 6, 7, …
  assert.deepEqual(Array.from(longer.y.subarray(8620, 8640)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 6, 7, 8, 9, 0]);
  assert.equal(loadMnist({ n: 0 }).n, 0);
});

test("loadMnist: the package's 10,000 digits, 28×28 in [0, 1], labels 0..9 with the package's counts", () => {
  const ds = loadMnist();
  assert.equal(ds.n, 10000);
  assert.deepEqual(ds.shape, [28, 28]);
  assert.equal(ds.x.length, 10000 * 784);
  assert.deepEqual(classCounts(ds), [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
  let min = Infinity;
  let max = -Infinity;
  for (const v of ds.x) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  assert.equal(min, 0);
  assert.equal(max, 1);
  // Round-robin order: sample 0 is the package's first "0", sample 1 its first "1".
  assert.deepEqual(Array.from(ds.y.subarray(0, 12)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
  assert.deepEqual(Array.from(ds.x.subarray(127, 130)), [0.2, 0.624, 0.992].map(Math.fround));
  assert.deepEqual(Array.from(ds.x.subarray(784 + 158, 784 + 161)), [0.486, 0.992, 1].map(Math.fround));
});

test("loadMnist({ n }): a class-balanced prefix of the fixed order", () => {
  const small = loadMnist({ n: 200 });
  assert.equal(small.n, 200);
  assert.deepEqual(classCounts(small), new Array(10).fill(20));
  const all = loadMnist();
  assert.deepEqual(small.x, all.x.subarray(0, 200 * 784));
  assert.throws(() => loadMnist({ n: 10001 }), /loadMnist: n must be an integer in 0\.\.10000/);
});

test("parseIdx: reads a hand-made IDX file and checks magic numbers and sizes", () => {
  const bytes = new Uint8Array([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6]);
  const idx = parseIdx(bytes);
  assert.deepEqual(idx.dims, [2, 3]);
  assert.deepEqual(Array.from(idx.data), [1, 2, 3, 4, 5, 6]);
  assert.throws(() => parseIdx(new Uint8Array([0, 0, 9, 1, 0, 0, 0, 1, 7])), /bad IDX magic number 0x00000901/);
  assert.throws(() => parseIdx(bytes, { expectedDims: 3 }), /says 2 dimensions, expected 3/);
  assert.throws(() => parseIdx(bytes.subarray(0, 17)), /2×3 = 6 values but the file holds 5/);
});

test("loadFashionMnist: a clear error naming the Debian package when the folder is missing", () => {
  const missing = path.join(os.tmpdir(), "reprobook-no-such-fashion-mnist");
  assert.throws(
    () => loadFashionMnist({ dir: missing }),
    new RegExp(`loadFashionMnist: ${missing} not found\\. Install Debian's dataset-fashion-mnist \\(sudo apt-get install dataset-fashion-mnist, or bash scripts/install-system-packages\\.sh\\)`),
  );
  assert.throws(() => loadFashionMnist({ split: "valid" as "train" }), /split must be "train" or "test"/);
});

test("loadFashionMnist: reads gzipped IDX files from a given folder", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "reprobook-fashion-"));
  try {
    const images = new Uint8Array(16 + 2 * 784);
    images.set([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28]);
    images[16] = 255;
    images[16 + 784 + 783] = 51;
    const labels = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 9, 3]);
    fs.writeFileSync(path.join(dir, "t10k-images-idx3-ubyte.gz"), zlib.gzipSync(images));
    fs.writeFileSync(path.join(dir, "t10k-labels-idx1-ubyte.gz"), zlib.gzipSync(labels));
    const ds = loadFashionMnist({ split: "test", dir });
    assert.equal(ds.n, 2);
    assert.deepEqual(Array.from(ds.y), [9, 3]);
    assert.equal(ds.x[0], 1);
    assert.equal(ds.x[784 + 783], Math.fround(51 / 255));
    assert.throws(() => loadFashionMnist({ split: "train", dir }), /train-images-idx3-ubyte\.gz not found/);
    // Labels file with the images' magic number is rejected.
    const dir2 = fs.mkdtempSync(path.join(os.tmpdir(), "reprobook-fashion-"));
    fs.writeFileSync(path.join(dir2, "t10k-images-idx3-ubyte.gz"), zlib.gzipSync(images));
    fs.writeFileSync(path.join(dir2, "t10k-labels-idx1-ubyte.gz"), zlib.gzipSync(images));
    assert.throws(() => loadFashionMnist({ split: "test", dir: dir2 }), /says 3 dimensions, expected 1/);
    fs.rmSync(dir2, { recursive: true });
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

test("loadFashionMnist: the first n images decoded from a prefix of the gzip file equal those of the whole file", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "reprobook-fashion-"));
  try {
    // 300 images of noisy pixels: the gzip file is about 235 kB, so small n decode only a prefix of it
    const count = 300;
    const images = new Uint8Array(16 + count * 784);
    images.set([0, 0, 8, 3, 0, 0, 1, 44, 0, 0, 0, 28, 0, 0, 0, 28]);
    const r = rng(5);
    for (let i = 16; i < images.length; i++) images[i] = r.nextUint32() & 0xff;
    const labels = new Uint8Array(8 + count);
    labels.set([0, 0, 8, 1, 0, 0, 1, 44]);
    for (let i = 0; i < count; i++) labels[8 + i] = i % 10;
    fs.writeFileSync(path.join(dir, "train-images-idx3-ubyte.gz"), zlib.gzipSync(images));
    fs.writeFileSync(path.join(dir, "train-labels-idx1-ubyte.gz"), zlib.gzipSync(labels));
    const expect = (n: number) => Float32Array.from(images.subarray(16, 16 + n * 784), (v) => v / 255);
    // increasing n in one process: each call decodes more than the cached prefix holds
    const same = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, i) => v === b[i]);
    for (const n of [0, 7, 200, count]) {
      const ds = loadFashionMnist({ split: "train", dir, n });
      assert.equal(ds.n, n);
      assert.ok(same(ds.x, expect(n)), `pixels of the first ${n} images`);
      assert.deepEqual(Array.from(ds.y), Array.from(labels.subarray(8, 8 + n)));
    }
    assert.ok(same(loadFashionMnist({ split: "train", dir }).x, expect(count)), "no n: every image");
    assert.throws(() => loadFashionMnist({ split: "train", dir, n: count + 1 }), /n must be an integer in 0\.\.300 for split "train" \(got 301\)/);
    // an images header that disagrees with the labels is reported as for a whole-file read
    const dir2 = fs.mkdtempSync(path.join(os.tmpdir(), "reprobook-fashion-"));
    const fewer = images.slice(0, 16 + 299 * 784);
    fewer.set([0, 0, 1, 43], 4);
    fs.writeFileSync(path.join(dir2, "train-images-idx3-ubyte.gz"), zlib.gzipSync(fewer));
    fs.writeFileSync(path.join(dir2, "train-labels-idx1-ubyte.gz"), zlib.gzipSync(labels));
    assert.throws(() => loadFashionMnist({ split: "train", dir: dir2, n: 5 }), /299 images but 300 labels in split "train"/);
    fs.rmSync(dir2, { recursive: true });
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

const haveFashion = fs.existsSync(FASHION_MNIST_DIR);
test(
  "loadFashionMnist: Debian's files (test split 10,000 × 28×28, 1,000 per class; pinned pixels)",
  { skip: haveFashion ? false : `${FASHION_MNIST_DIR} not found: install Debian's dataset-fashion-mnist to run this test` },
  () => {
    const ds = loadFashionMnist({ split: "test" });
    assert.equal(ds.n, 10000);
    assert.deepEqual(ds.shape, [28, 28]);
    assert.deepEqual(ds.classes, FASHION_MNIST_CLASSES);
    assert.deepEqual(classCounts(ds), new Array(10).fill(1000));
    assert.deepEqual(Array.from(ds.y.subarray(0, 10)), [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
    // Reference values read with numpy from the same files: image 0 sums to 33456 (of 255), pixel 500 = 172.
    let sum = 0;
    for (let p = 0; p < 784; p++) sum += ds.x[p];
    assert.ok(Math.abs(sum - 33456 / 255) < 1e-3);
    assert.equal(ds.x[500], Math.fround(172 / 255));
    const train = loadFashionMnist({ split: "train", n: 10 });
    assert.equal(train.n, 10);
    assert.deepEqual(Array.from(train.y), [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
    assert.equal(train.x[500], Math.fround(220 / 255));
  },
);
