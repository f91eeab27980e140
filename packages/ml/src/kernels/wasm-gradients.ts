// Gradient kernels that @tensorflow/tfjs-backend-wasm 4.22 lacks, composed from kernels it has (pad,
// strided slice, concat, transpose, matMul, oneHot). Without them training any conv net on wasm throws.
import * as tf from "@tensorflow/tfjs";

type TensorInfo = tf.TensorInfo;
type Explicit = [[number, number], [number, number], [number, number], [number, number]];
type Pad = "valid" | "same" | number | Explicit;
type Rounding = "floor" | "round" | "ceil" | undefined;

/** Kernel inputs arrive as TensorInfo; wrap them so ops accept them (the wrapper is disposed by tidy). */
function asTensor(info: TensorInfo): tf.Tensor {
  return info instanceof tf.Tensor ? info : tf.engine().makeTensorFromTensorInfo(info);
}

/**
 * Splits padded x into its stride phases: phase (a, b) holds x[:, a::sh, b::sw, :]. Built from reshapes and
 * contiguous slices, because wasm's strided slice is a slow per-element loop.
 */
function phases(xPad: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D[][] {
  if (sh === 1 && sw === 1) return [[xPad]];
  const [b, h, w, c] = xPad.shape;
  const hh = Math.ceil(h / sh);
  const ww = Math.ceil(w / sw);
  const padded = xPad.pad([
    [0, 0],
    [0, hh * sh - h],
    [0, ww * sw - w],
    [0, 0],
  ]);
  const grid = padded.reshape([b * hh, sh, ww, sw * c]);
  const out: tf.Tensor4D[][] = [];
  for (let a = 0; a < sh; a++) {
    const row: tf.Tensor4D[] = [];
    for (let e = 0; e < sw; e++) {
      row.push(grid.slice([0, a, 0, e * c], [b * hh, 1, ww, c]).reshape([b, hh, ww, c]));
    }
    out.push(row);
  }
  return out;
}

/** The window of padded x that filter tap (kh, kw) sees: [batch, outH, outW, channels]. */
function tap(ph: tf.Tensor4D[][], info: tf.backend_util.Conv2DInfo, kh: number, kw: number): tf.Tensor4D {
  const top = kh * info.dilationHeight;
  const left = kw * info.dilationWidth;
  const [sh, sw] = [info.strideHeight, info.strideWidth];
  const phase = ph[top % sh]?.[left % sw];
  if (!phase) throw new Error("stride phase out of range");
  return phase.slice(
    [0, Math.floor(top / sh), Math.floor(left / sw), 0],
    [info.batchSize, info.outHeight, info.outWidth, info.inChannels],
  );
}

function padInput(x: tf.Tensor4D, info: tf.backend_util.Conv2DInfo): tf.Tensor4D {
  const p = info.padInfo;
  // 'same' with a stride can leave the last rows unused; a negative pad would be a crop, so clamp
  return tf.pad(x, [
    [0, 0],
    [Math.max(0, p.top), Math.max(0, p.bottom)],
    [Math.max(0, p.left), Math.max(0, p.right)],
    [0, 0],
  ]);
}

/** Pads (positive amounts) or crops (negative amounts) the spatial axes of an NHWC tensor. */
function padOrCrop(x: tf.Tensor4D, top: number, bottom: number, left: number, right: number): tf.Tensor4D {
  const padded = x.pad([
    [0, 0],
    [Math.max(0, top), Math.max(0, bottom)],
    [Math.max(0, left), Math.max(0, right)],
    [0, 0],
  ]) as tf.Tensor4D;
  const [b, h, w, c] = padded.shape;
  const t = Math.max(0, -top);
  const l = Math.max(0, -left);
  return padded.slice([0, t, l, 0], [b, h - t - Math.max(0, -bottom), w - l - Math.max(0, -right), c]);
}

/** Spreads the spatial positions of dy stride apart, zeros between (the forward pass read them that way). */
function dilate(dy: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  if (sh === 1 && sw === 1) return dy;
  const [b, oh, ow, c] = dy.shape;
  return dy
    .reshape([b, oh, 1, ow, 1, c])
    .pad([
      [0, 0],
      [0, 0],
      [0, sh - 1],
      [0, 0],
      [0, sw - 1],
      [0, 0],
    ])
    .reshape([b, oh * sh, ow * sw, c])
    .slice([0, 0, 0, 0], [b, (oh - 1) * sh + 1, (ow - 1) * sw + 1, c]) as tf.Tensor4D;
}

/**
 * dW[kh,kw,ci,co] = sum over batch and output positions of x_window * dy, computed as one convolution with
 * the batch as the channel axis: x^T [ci, H, W, b] convolved with dy^T [oh, ow, b, co] (dilated by the
 * stride) gives [ci, kh, kw, co]. One XNNPACK call, far faster on wasm than slicing an im2col matrix.
 */
export function conv2dBackpropFilter(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  pad: Pad,
  roundingMode?: Rounding,
): tf.Tensor4D {
  return tf.tidy(() => {
    const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, strides, 1, pad, roundingMode);
    const [sh, sw] = [info.strideHeight, info.strideWidth];
    const needH = (info.outHeight - 1) * sh + info.filterHeight;
    const needW = (info.outWidth - 1) * sw + info.filterWidth;
    const p = info.padInfo;
    const xp = padOrCrop(x, p.top, needH - p.top - info.inHeight, p.left, needW - p.left - info.inWidth);
    const xt = xp.transpose([3, 1, 2, 0]) as tf.Tensor4D;
    const dyt = dy.transpose([1, 2, 0, 3]) as tf.Tensor4D;
    const grad = tf.conv2d(xt, dyt, 1, "valid", "NHWC", [sh, sw]);
    return grad.transpose([1, 2, 0, 3]);
  });
}

/**
 * dx of a convolution as a convolution: dy dilated by the stride, padded to a "full" correlation, against the
 * filter rotated 180 degrees with its channel axes swapped. wasm has this kernel, but it is ~13x slower.
 */
export function conv2dBackpropInput(
  inputShape: [number, number, number, number],
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  strides: number | [number, number],
  pad: Pad,
  roundingMode?: Rounding,
): tf.Tensor4D {
  return tf.tidy(() => {
    const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape, strides, 1, pad, roundingMode);
    const [kh, kw] = [info.filterHeight, info.filterWidth];
    const d = dilate(dy, info.strideHeight, info.strideWidth);
    const top = kh - 1 - info.padInfo.top;
    const left = kw - 1 - info.padInfo.left;
    const padded = padOrCrop(
      d,
      top,
      inputShape[1] + kh - 1 - top - d.shape[1],
      left,
      inputShape[2] + kw - 1 - left - d.shape[2],
    );
    const rotated = tf.reverse(filter, [0, 1]).transpose([0, 1, 3, 2]) as tf.Tensor4D;
    return tf.conv2d(padded, rotated, 1, "valid");
  });
}

type DepthwiseAttrs = Pick<
  tf.DepthwiseConv2dNativeBackpropFilterAttrs,
  "strides" | "dilations" | "pad" | "dimRoundingMode"
>;

/** The geometry of a depthwise convolution (tfjs' own, in its depthwise mode). */
function depthwiseInfo(
  inputShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  a: DepthwiseAttrs,
): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    inputShape,
    filterShape,
    a.strides,
    a.dilations,
    a.pad,
    a.dimRoundingMode,
    true,
  );
}

/** Depthwise filter gradient: dW[kh,kw,c,m] = sum x_window[...,c] * dy[...,c*M+m]. */
export function depthwiseConv2dBackpropFilter(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  a: tf.DepthwiseConv2dNativeBackpropFilterAttrs,
): tf.Tensor4D {
  return tf.tidy(() => {
    const info = depthwiseInfo(x.shape, a.filterShape, a);
    const [fh, fw, channels, multiplier] = a.filterShape;
    const ph = phases(padInput(x, info), info.strideHeight, info.strideWidth);
    const dy5 = dy.reshape([info.batchSize, info.outHeight, info.outWidth, channels, multiplier]);
    const rows: tf.Tensor[] = [];
    for (let kh = 0; kh < fh; kh++) {
      for (let kw = 0; kw < fw; kw++) {
        const xs = tap(ph, info, kh, kw).expandDims(4);
        rows.push(tf.sum(tf.mul(xs, dy5), [0, 1, 2]));
      }
    }
    return tf.stack(rows).reshape(a.filterShape);
  });
}

/** Depthwise input gradient: each filter tap scatters dy*w back to the input positions it read from. */
export function depthwiseConv2dBackpropInput(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  a: tf.DepthwiseConv2dNativeBackpropInputAttrs,
): tf.Tensor4D {
  return tf.tidy(() => {
    const inputShape = a.inputShape;
    const [fh, fw, channels, multiplier] = filter.shape;
    const info = depthwiseInfo(inputShape, filter.shape, a);
    const [sh, sw] = [info.strideHeight, info.strideWidth];
    const [oh, ow] = [info.outHeight, info.outWidth];
    const b = info.batchSize;
    const padTop = Math.max(0, info.padInfo.top);
    const padLeft = Math.max(0, info.padInfo.left);
    const fullH = padTop + inputShape[1] + Math.max(0, info.padInfo.bottom);
    const fullW = padLeft + inputShape[2] + Math.max(0, info.padInfo.right);
    const dy5 = dy.reshape([b, oh, ow, channels, multiplier]);
    let acc: tf.Tensor4D | undefined;
    for (let kh = 0; kh < fh; kh++) {
      for (let kw = 0; kw < fw; kw++) {
        const w = tf
          .slice(filter, [kh, kw, 0, 0], [1, 1, channels, multiplier])
          .reshape([channels, multiplier]);
        const contrib = dilate(tf.sum(tf.mul(dy5, w), 4) as tf.Tensor4D, sh, sw); // [b, oh', ow', c]
        const top = kh * info.dilationHeight;
        const left = kw * info.dilationWidth;
        const placed = contrib.pad([
          [0, 0],
          [top, fullH - top - contrib.shape[1]],
          [left, fullW - left - contrib.shape[2]],
          [0, 0],
        ]) as tf.Tensor4D;
        acc = acc === undefined ? placed : tf.add<tf.Tensor4D>(acc, placed);
      }
    }
    if (acc === undefined) throw new Error("depthwise filter has no taps");
    return acc.slice([0, padTop, padLeft, 0], inputShape);
  });
}

/** out[s] = sum of x rows whose segment id is s: a one-hot matrix product (ids outside [0, n) drop out). */
export function unsortedSegmentSum(x: tf.Tensor, segmentIds: tf.Tensor, numSegments: number): tf.Tensor {
  return tf.tidy(() => {
    const ids = segmentIds.reshape([-1]).toInt();
    const rows = ids.shape[0];
    const rest = x.shape.slice(segmentIds.rank);
    const flat = x.toFloat().reshape([rows, rest.reduce((a, v) => a * v, 1)]);
    const oneHotT = tf.oneHot(ids, numSegments).toFloat().transpose();
    const out = tf.matMul(oneHotT, flat).reshape([numSegments, ...rest]);
    return x.dtype === "int32" ? out.round().toInt() : out;
  });
}

let registered = false;

/** Registers the kernels above for the wasm backend (idempotent). */
export function registerWasmGradientKernels(): void {
  if (registered) return;
  registered = true;
  addKernel<tf.Conv2DBackpropFilterAttrs>(tf.Conv2DBackpropFilter, (input, a) => {
    if (a.dataFormat === "NCHW") throw new Error("Conv2DBackpropFilter on wasm supports NHWC only");
    return conv2dBackpropFilter(
      input("x") as tf.Tensor4D,
      input("dy") as tf.Tensor4D,
      a.filterShape,
      a.strides,
      a.pad,
      a.dimRoundingMode,
    );
  });
  replaceKernel(
    tf.Conv2DBackpropInput,
    tensorKernelFunc<tf.Conv2DBackpropInputAttrs>((input, a) => {
      if (a.dataFormat === "NCHW") throw new Error("Conv2DBackpropInput on wasm supports NHWC only");
      return conv2dBackpropInput(
        a.inputShape,
        input("dy") as tf.Tensor4D,
        input("filter") as tf.Tensor4D,
        a.strides,
        a.pad,
        a.dimRoundingMode,
      );
    }),
  );
  addKernel<tf.DepthwiseConv2dNativeBackpropFilterAttrs>(tf.DepthwiseConv2dNativeBackpropFilter, (input, a) =>
    depthwiseConv2dBackpropFilter(input("x") as tf.Tensor4D, input("dy") as tf.Tensor4D, a),
  );
  addKernel<tf.DepthwiseConv2dNativeBackpropInputAttrs>(tf.DepthwiseConv2dNativeBackpropInput, (input, a) =>
    depthwiseConv2dBackpropInput(input("dy") as tf.Tensor4D, input("filter") as tf.Tensor4D, a),
  );
  addKernel<tf.UnsortedSegmentSumAttrs>(tf.UnsortedSegmentSum, (input, a) =>
    unsortedSegmentSum(input("x"), input("segmentIds"), a.numSegments),
  );
  registerFastTransposedMatMul();
}

/** Registers a wasm kernel written with tfjs ops: inputs by name as tensors, typed attributes, intermediates freed. */
type TensorKernel<Attrs> = (input: (key: string) => tf.Tensor, attrs: Attrs) => tf.Tensor;

/** A kernel written with tfjs ops: inputs as tensors, attributes typed, intermediates tidied. */
function tensorKernelFunc<Attrs>(run: TensorKernel<Attrs>): tf.KernelFunc {
  return ({ inputs, attrs }) =>
    tf.tidy(() => run((key) => asTensor(inputs[key] as TensorInfo), attrs as unknown as Attrs));
}

function addKernel<Attrs>(name: string, run: TensorKernel<Attrs>): void {
  tf.registerKernel({ kernelName: name, backendName: "wasm", kernelFunc: tensorKernelFunc(run) });
}

/** Swaps wasm's own kernel for ours, keeping its setupFunc (it binds the wasm function at backend start). */
function replaceKernel(name: string, kernelFunc: tf.KernelFunc): void {
  const original = tf.getKernel(name, "wasm");
  if (!original) return;
  tf.unregisterKernel(name, "wasm");
  tf.registerKernel({ ...original, kernelFunc });
}

/** wasm's BatchMatMul with transposeA/B is ~10x slower than transposing first; Dense gradients use it. */
function registerFastTransposedMatMul(): void {
  const inner = tf.getKernel(tf.BatchMatMul, "wasm")?.kernelFunc;
  if (!inner) return;
  replaceKernel(tf.BatchMatMul, (args) => {
    const a = args.attrs as unknown as tf.BatchMatMulAttrs;
    if (!a.transposeA && !a.transposeB) return inner(args);
    return tf.tidy(() => {
      const swap = (t: tf.Tensor): tf.Tensor => {
        const perm = t.shape.map((_, i) => i);
        const n = perm.length;
        [perm[n - 1], perm[n - 2]] = [perm[n - 2]!, perm[n - 1]!];
        return t.transpose(perm);
      };
      let lhs = asTensor(args.inputs.a as TensorInfo);
      let rhs = asTensor(args.inputs.b as TensorInfo);
      if (a.transposeA) lhs = swap(lhs);
      if (a.transposeB) rhs = swap(rhs);
      return tf.matMul(lhs, rhs);
    });
  });
}
