#!/usr/bin/env python3
"""Static int8 quantisation of the BlazeFace ONNX graph (tfjs_graph_to_onnx.py's output) in QDQ form.

Two steps, because ONNX Runtime is not installed for Python here (only onnxruntime-node):

  expose   MODEL.onnx CALIB.onnx           a copy whose every activation is also a graph output
           (tools/calibrate-blazeface.ts runs it on real frames and writes histograms: numbers, no pixels)
  quantize MODEL.onnx STATS.json OUT.onnx  the QDQ model

The QDQ model: QuantizeLinear/DequantizeLinear pairs around every convolution, residual Add and max-pool, which
ONNX Runtime's CPU provider fuses into QLinearConv / QLinearAdd (and a uint8 MaxPool) and runs in NHWC:

- weights int8, symmetric (zero point 0), one scale per output channel; biases int32 at input × weight scale;
- activations uint8, one scale and zero point per tensor, from the calibration histograms ("mse": the clipping
  range with the least expected squared error, default; "percentile": the 99.99 % range; "minmax");
- a ReLU is dropped where its input is quantised with zero point 0 (uint8 then clips at 0: the same function);
- a max-pool keeps its input's scale (ONNX Runtime runs it on the uint8 values);
- the input stays uint8 RGB NHWC: x / 127.5 − 1 becomes DequantizeLinear(scale 1/127.5, zero point 128), the
  half-step shift compensated in the first convolution's bias (exact except in its one-pixel SAME border);
- the four head convolutions stay float (their inputs dequantised): scores are logits and boxes are pixel
  offsets, which 8 bits would coarsen for a few thousand multiply-adds per cell.

Options: --s2d rewrites the first 5x5 stride-2 convolution on 3 channels as a 3x3 one on 2x2 pixel blocks (12
channels; bit-identical outputs, much faster in int8); --float-after N keeps everything after the N-th max-pool
float (mixed precision); --equalize P applies cross-layer equalisation to depthwise -> 1x1 pairs.

Measured (package README, "Detection"): on the AVX-512 Xeon the int8 file is at best 16 % faster than the float
one on the full-resolution 640x480 level (in two A/B runs of three no faster), slower on smaller inputs and on a
full scan at p95, and misses the CI recall floors on the walking clip's 12-25 px faces: not shipped. To reproduce (files outside the repository):

  python3 tools/quantize_qdq.py expose models/blazeface-back.onnx /tmp/calib.onnx
  npm run -s calibrate:blazeface -w @shelf/inference -- --model /tmp/calib.onnx --out /tmp/stats.json
  python3 tools/quantize_qdq.py quantize models/blazeface-back-c16.onnx /tmp/stats.json /tmp/int8.onnx --s2d
  npm run -s bench:blazeface-models -w @shelf/inference -- --model models/blazeface-back-c16.onnx --model /tmp/int8.onnx
  npm run -s eval:detection -w @shelf/inference -- --blazeface-model /tmp/int8.onnx

(The statistics of the plain graph serve its channel-padded copy: the padded channels are always zero.)

Also: s2d MODEL.onnx OUT.onnx writes the float graph with only the --s2d rewrite (measured slower in float).

Usage: python3 quantize_qdq.py expose MODEL.onnx CALIB.onnx
       python3 quantize_qdq.py quantize MODEL.onnx STATS.json OUT.onnx [--method mse|percentile|minmax]
              [--percentile 99.99] [--s2d] [--float-after N] [--equalize P] [--ranges-out RANGES.json]
"""
import argparse
import json
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

PRELUDE = ("Cast", "Transpose", "Mul", "Sub")  # input uint8 NHWC -> x_norm (float NCHW)


def consumers_of(graph):
    out = {}
    for n in graph.node:
        for i in n.input:
            out.setdefault(i, []).append(n)
    return out


def activations(graph):
    """Float activation tensors worth calibrating: x_norm and every Conv/Add/Relu/MaxPool output."""
    names = ["x_norm"]
    for n in graph.node:
        if n.op_type in ("Conv", "Add", "Relu", "MaxPool"):
            names.append(n.output[0])
    return names


def expose(model_path, out_path):
    m = onnx.load(model_path)
    g = m.graph
    have = {o.name for o in g.output}
    for t in activations(g):
        if t not in have:
            g.output.append(helper.make_tensor_value_info(t, TensorProto.FLOAT, None))
    onnx.save(m, out_path)
    print(f"wrote {out_path}: {len(g.output)} outputs", file=sys.stderr)


# ---- range choice -------------------------------------------------------------------------------------------


def hist_of(s):
    counts = np.asarray(s["hist"], np.float64)
    edges = np.linspace(s["histMin"], s["histMax"], len(counts) + 1)
    return counts, (edges[:-1] + edges[1:]) / 2


def quant_error(centres, counts, lo, hi):
    """Expected squared error of uint8 quantisation over [lo, hi] (clipping + rounding), per histogram."""
    scale = (hi - lo) / 255
    if scale <= 0:
        return np.inf
    zp = np.round(-lo / scale)
    q = np.clip(np.round(centres / scale) + zp, 0, 255)
    return float(np.sum(counts * ((q - zp) * scale - centres) ** 2))


def choose_range(s, method, percentile):
    """[lo, hi] containing 0 (so zero padding stays exact)."""
    lo, hi = float(s["min"]), float(s["max"])
    if method == "minmax" or s["count"] == 0:
        return min(lo, 0.0), max(hi, 0.0)
    counts, centres = hist_of(s)
    cdf = np.cumsum(counts) / counts.sum()

    def tails(p):  # range keeping all but (1 - p) of the values, split over both tails where both exist
        t = 1 - p
        if lo >= 0:
            return 0.0, float(centres[min(len(cdf) - 1, np.searchsorted(cdf, 1 - t))])
        a = float(centres[np.searchsorted(cdf, t / 2)])
        b = float(centres[min(len(cdf) - 1, np.searchsorted(cdf, 1 - t / 2))])
        return min(a, 0.0), max(b, 0.0)

    if method == "percentile":
        return tails(percentile / 100)
    # mse: candidate ranges from the full one down to the 99 % one, least expected error wins.
    best = None
    for k in np.concatenate([[0], np.logspace(-7, -2, 41)]):
        a, b = (min(lo, 0.0), max(hi, 0.0)) if k == 0 else tails(1 - k)
        err = quant_error(centres, counts, a, b)
        if best is None or err < best[0]:
            best = (err, a, b)
    return best[1], best[2]


def qparams(lo, hi):
    scale = max((hi - lo) / 255, 1e-8)
    zp = int(np.clip(np.round(-lo / scale), 0, 255))
    if lo >= 0:
        zp = 0
        scale = max(hi / 255, 1e-8)
    return np.float32(scale), np.uint8(zp)


# ---- the QDQ graph ------------------------------------------------------------------------------------------


def space_to_depth_ok(n, inits):
    a = {x.name: helper.get_attribute_value(x) for x in n.attribute}
    return (
        tuple(inits[n.input[1]].shape[1:]) == (3, 5, 5)
        and list(a.get("strides", [])) == [2, 2]
        and a.get("auto_pad") == b"SAME_UPPER"
        and a.get("group", 1) == 1
    )


def space_to_depth_kernel(w):
    """[O, 3, 5, 5] stride 2, SAME_UPPER (pad 1 before, 2 after) -> [O, 12, 3, 3] stride 1, pad 1 on 2x2 blocks.

    Output (i, j) reads input row 2i - 1 + kh, i.e. block row i - 1 + dr with sub-row a: kh = 2 dr + a - 1
    (kh = -1, dr 0 / a 0, reads nothing). Block channel = a * 6 + b * 3 + c (the NHWC reshape's order).
    """
    o = w.shape[0]
    k = np.zeros((o, 12, 3, 3), w.dtype)
    for dr in range(3):
        for a in range(2):
            kh = 2 * dr + a - 1
            if not 0 <= kh < 5:
                continue
            for dc in range(3):
                for b in range(2):
                    kw = 2 * dc + b - 1
                    if not 0 <= kw < 5:
                        continue
                    for c in range(3):
                        k[:, a * 6 + b * 3 + c, dr, dc] = w[:, c, kh, kw]
    return k


def equalize_depthwise(g, inits, cons, stats, power):
    """Cross-layer equalisation (Nagel et al. 2019) of each depthwise -> 1x1 convolution pair, in place.

    A depthwise convolution's output channels span very different ranges, and one uint8 scale per tensor
    leaves the quiet channels a few levels. Nothing non-linear sits between the depthwise convolution and the
    1x1 one, so channel c can be multiplied by s_c in the first (kernel, bias) and divided by s_c in the
    second's input weights: the same function. s_c = (R / r_c) ** power with r_c the channel's calibrated
    absolute range and R the largest (power 0.5 shares the gain between activation and weight precision).
    The statistics of the equalised tensor become its per-channel min/max times s (a min/max range).
    """
    for n in g.node:
        group = next((a.i for a in n.attribute if a.name == "group"), 1)
        if n.op_type != "Conv" or group == 1:
            continue
        cs = cons.get(n.output[0], [])
        if len(cs) != 1 or cs[0].op_type != "Conv" or next((a.i for a in cs[0].attribute if a.name == "group"), 1) != 1:
            continue
        st = stats.get(n.output[0])
        if not st or "channelMin" not in st:
            raise SystemExit("--equalize needs per-channel statistics (channelMin/channelMax): re-run the calibration")
        lo, hi = np.asarray(st["channelMin"]), np.asarray(st["channelMax"])
        r = np.maximum(np.abs(lo), np.abs(hi))
        c = inits[n.input[1]].shape[0]
        s = np.ones(c)
        live = r > 0
        s[: len(r)][live] = (r.max() / r[live]) ** power
        inits[n.input[1]] = (inits[n.input[1]] * s[:, None, None, None]).astype(np.float32)
        if len(n.input) > 2 and n.input[2]:
            inits[n.input[2]] = (inits[n.input[2]] * s).astype(np.float32)
        pw = cs[0].input[1]
        inits[pw] = (inits[pw] / s[None, :, None, None]).astype(np.float32)
        k = len(r)
        stats[n.output[0]] = {
            "min": float(min(0.0, (lo * s[:k]).min())),
            "max": float(max(0.0, (hi * s[:k]).max())),
            "count": 0,  # min/max only
        }


def quantize(model_path, stats_path, out_path, method="mse", percentile=99.99, s2d=False, float_after=None, equalize=0.0):
    m = onnx.load(model_path)
    g = m.graph
    stats = json.load(open(stats_path))["tensors"]
    inits = {i.name: numpy_helper.to_array(i) for i in g.initializer}
    cons = consumers_of(g)
    outputs = {o.name for o in g.output}
    nodes, new_inits = [], []
    qp = {}  # float tensor name -> (scale, zp, quantised tensor name)
    ranges = {}

    def init(nm, arr):
        # (not np.ascontiguousarray: it turns a 0-d scale into shape [1], which QLinearAdd refuses)
        new_inits.append(numpy_helper.from_array(np.array(arr, order="C"), nm))
        return nm

    def is_head(n):
        return n.op_type == "Conv" and any(
            c.op_type == "Transpose" and c.output[0] in outputs for c in cons.get(n.output[0], [])
        )

    def sole_relu(t):
        cs = cons.get(t, [])
        return cs[0] if len(cs) == 1 and cs[0].op_type == "Relu" else None

    def emit_q(src, t, scale, zp):
        """src (float) -> Q -> t + '/q' (uint8); consumers dequantise it each with their own DQ."""
        s = init(t + "/q_scale", np.array(float(np.squeeze(scale)), np.float32))
        z = init(t + "/q_zp", np.array(int(np.squeeze(zp)), np.uint8))
        nodes.append(helper.make_node("QuantizeLinear", [src, s, z], [t + "/q"], name=t + "/Q"))
        qp[t] = (scale, zp, t + "/q")

    if equalize:
        equalize_depthwise(g, inits, cons, stats, equalize)

    dq_count = {}

    def dq(t):
        """A DequantizeLinear of activation t for one consumer; returns its float output name."""
        scale, zp, q = qp[t]
        k = dq_count[t] = dq_count.get(t, 0) + 1
        out = f"{t}/dq{k}"
        nodes.append(
            helper.make_node(
                "DequantizeLinear", [q, t + "/q_scale", t + "/q_zp"], [out], name=f"{t}/DQ{k}"
            )
        )
        return out

    def range_of(t):
        lo, hi = choose_range(stats[t], method, percentile)
        ranges[t] = [lo, hi]
        return qparams(lo, hi)

    # Input prelude: uint8 NHWC -> Transpose (uint8) -> x_norm quantised as (x - 128) / 127.5.
    first = next(n for n in g.node if n.op_type == "Conv")
    if s2d and not space_to_depth_ok(first, inits):
        raise SystemExit("--s2d: the first convolution is not 5x5, stride 2, SAME_UPPER on 3 channels")
    if s2d:
        # The 5x5 stride-2 convolution on 3 channels as a 3x3 stride-1 one on 2x2 blocks of pixels (12 channels):
        # the same sums (see space_to_depth_kernel); ONNX Runtime's int8 convolution handles 3 input channels
        # per tap poorly, 12 well. The uint8 rearrangement is Reshape/Transpose/Reshape in NHWC.
        # [N, H, W, 3] -> [N·H/2, 2, W/2, 6] -> swap the row pair with the block column -> [N, H/2, W/2, 12]:
        # the transpose moves one axis (blocks of 6 bytes), which ONNX Runtime copies block by block.
        nodes.append(helper.make_node("Shape", ["input"], ["input/shape"], name="input/Shape"))
        nodes.append(helper.make_node("Gather", ["input/shape", init("input/idx_w", np.array([2], np.int64))], ["input/w"], axis=0, name="input/W"))
        nodes.append(helper.make_node("Gather", ["input/shape", init("input/idx_n", np.array([0], np.int64))], ["input/n"], axis=0, name="input/N"))
        nodes.append(helper.make_node("Div", ["input/w", init("input/two", np.array([2], np.int64))], ["input/w2"], name="input/W2"))
        minus1 = init("input/minus1", np.array([-1], np.int64))
        nodes.append(
            helper.make_node("Concat", [minus1, "input/two", "input/w2", init("input/six", np.array([6], np.int64))], ["input/s2d_a"], axis=0, name="input/ShapeA")
        )
        nodes.append(helper.make_node("Reshape", ["input", "input/s2d_a"], ["input/blocks"], name="input/ReshapeA"))
        nodes.append(helper.make_node("Transpose", ["input/blocks"], ["input/blocks_t"], perm=[0, 2, 1, 3], name="input/TA"))
        nodes.append(
            helper.make_node(
                "Concat",
                ["input/n", minus1, "input/w2", init("input/twelve", np.array([12], np.int64))],
                ["input/s2d4"],
                axis=0,
                name="input/Shape4",
            )
        )
        nodes.append(helper.make_node("Reshape", ["input/blocks_t", "input/s2d4"], ["input_s2d"], name="input/Reshape4"))
        nodes.append(helper.make_node("Transpose", ["input_s2d"], ["input_nchw"], perm=[0, 3, 1, 2], name="input/T"))
    else:
        nodes.append(helper.make_node("Transpose", ["input"], ["input_nchw"], perm=[0, 3, 1, 2], name="input/T"))
    init("x_norm/q_scale", np.array(1 / 127.5, np.float32))
    init("x_norm/q_zp", np.array(128, np.uint8))
    qp["x_norm"] = (np.float32(1 / 127.5), np.uint8(128), "input_nchw")
    first_conv = True
    skip = set()
    pools, copied = 0, set()
    for n in g.node:
        if n.op_type in PRELUDE and n.output[0] in ("x_float", "x_nchw", "x_scaled", "x_norm"):
            continue
        if n.op_type == "Relu" and n.output[0] in skip:
            continue
        if float_after is not None and pools >= float_after and n.op_type != "Transpose":
            # Mixed precision: past the chosen max-pool the (cheap, low-resolution) rest stays float.
            ins = [dq(i) if i in qp else i for i in n.input]
            for i in n.input:
                if i in inits and i not in copied:
                    init(i, inits[i])
                    copied.add(i)
            f = helper.make_node(n.op_type, ins, list(n.output), name=n.output[0])
            f.attribute.extend(n.attribute)
            nodes.append(f)
            continue
        if n.op_type == "MaxPool":
            pools += 1
        if n.op_type == "Conv":
            attrs = list(n.attribute)
            w = inits[n.input[1]].astype(np.float32)
            b = inits[n.input[2]].astype(np.float32) if len(n.input) > 2 and n.input[2] else np.zeros(w.shape[0], np.float32)
            x = dq(n.input[0])
            if is_head(n):
                conv_in = [x, init(n.input[1], w), init(n.input[2] if len(n.input) > 2 else n.output[0] + "/B", b)]
                nodes.append(helper.make_node("Conv", conv_in, [n.output[0]], name=n.output[0]))
                nodes[-1].attribute.extend(attrs)
                continue
            sx = qp[n.input[0]][0]
            if first_conv:
                # x_norm = dequantised + 1/255 (zero point 128 for 127.5): add W · 1/255 to the bias.
                b = b + w.sum(axis=(1, 2, 3)) / 255
                first_conv = False
            amax = np.abs(w).reshape(w.shape[0], -1).max(axis=1)
            sw = np.where(amax > 0, amax / 127, 1).astype(np.float32)
            wq = np.clip(np.round(w / sw[:, None, None, None]), -127, 127).astype(np.int8)
            sb = (sx * sw).astype(np.float32)
            bq = np.round(b / sb).astype(np.int32)
            wn, bn = n.input[1], n.output[0] + "/B"
            init(wn + "/q", wq)
            init(wn + "/scale", sw)
            init(wn + "/zp", np.zeros(w.shape[0], np.int8))
            init(bn + "/q", bq)
            init(bn + "/scale", sb)
            init(bn + "/zp", np.zeros(w.shape[0], np.int32))
            nodes.append(helper.make_node("DequantizeLinear", [wn + "/q", wn + "/scale", wn + "/zp"], [wn], axis=0, name=wn + "/DQ"))
            nodes.append(helper.make_node("DequantizeLinear", [bn + "/q", bn + "/scale", bn + "/zp"], [bn], axis=0, name=bn + "/DQ"))
            relu = sole_relu(n.output[0])
            t = relu.output[0] if relu is not None else n.output[0]
            if relu is not None:
                skip.add(t)
            scale, zp = range_of(t)
            if relu is not None:
                zp, scale = np.uint8(0), np.float32(max(ranges[t][1], 1e-8) / 255)
            if s2d and n is first:
                # (bias computed from the original kernel above; only the layout of W changes)
                w12 = space_to_depth_kernel(wq)
                new_inits[[i.name for i in new_inits].index(wn + "/q")].CopyFrom(numpy_helper.from_array(w12, wn + "/q"))
                attrs = [helper.make_attribute("kernel_shape", [3, 3]), helper.make_attribute("pads", [1, 1, 1, 1])]
            nodes.append(helper.make_node("Conv", [x, wn, bn], [t + "/f"], name=n.output[0]))
            nodes[-1].attribute.extend(attrs)
            emit_q(t + "/f", t, scale, zp)
        elif n.op_type == "Add":
            a, c = dq(n.input[0]), dq(n.input[1])
            relu = sole_relu(n.output[0])
            t = relu.output[0] if relu is not None else n.output[0]
            if relu is not None:
                skip.add(t)
            scale, zp = range_of(t)
            if relu is not None:
                zp, scale = np.uint8(0), np.float32(max(ranges[t][1], 1e-8) / 255)
            nodes.append(helper.make_node("Add", [a, c], [t + "/f"], name=n.output[0]))
            emit_q(t + "/f", t, scale, zp)
        elif n.op_type == "MaxPool":
            scale, zp, _ = qp[n.input[0]]
            x = dq(n.input[0])
            nodes.append(helper.make_node("MaxPool", [x], [n.output[0] + "/f"], name=n.output[0]))
            nodes[-1].attribute.extend(n.attribute)
            emit_q(n.output[0] + "/f", n.output[0], scale, zp)
            ranges[n.output[0]] = ranges.get(n.input[0])
        elif n.op_type == "Relu":
            # A Relu not folded into its producer's Q: quantise its output with zero point 0.
            x = dq(n.input[0])
            scale, zp = range_of(n.output[0])
            nodes.append(helper.make_node("Relu", [x], [n.output[0] + "/f"], name=n.output[0]))
            emit_q(n.output[0] + "/f", n.output[0], scale, zp)
        elif n.op_type == "Transpose":
            nodes.append(n)
        else:
            raise SystemExit(f"unsupported op {n.op_type} ({n.name or n.output[0]})")
    inp = helper.make_tensor_value_info("input", TensorProto.UINT8, ["N", "H", "W", 3])
    graph = helper.make_graph(nodes, g.name + "-int8", [inp], list(g.output), new_inits)
    q = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="shelf-sentiment")
    q.ir_version = 8
    helper.set_model_props(q, {"quantization": f"static QDQ, weights int8 per channel symmetric, activations uint8 ({method})"})
    onnx.checker.check_model(q)
    onnx.save(q, out_path)
    return ranges


def space_to_depth_float(model_path, out_path):
    """The float graph with its first convolution on 2x2 pixel blocks (the --s2d rewrite without quantising):
    the uint8 input rearranged to [N, H/2, W/2, 12] before the cast, the 5x5 stride-2 kernel as a 3x3 one (pad 1).
    Measured slower in float (package README, "Re-measured on a quiet box"); kept to reproduce that."""
    m = onnx.load(model_path)
    g = m.graph
    inits = {i.name: numpy_helper.to_array(i) for i in g.initializer}
    nodes = list(g.node)
    if [n.op_type for n in nodes[:5]] != ["Cast", "Transpose", "Mul", "Sub", "Conv"]:
        raise SystemExit("s2d: expected the Cast, Transpose, Mul, Sub prelude before the first convolution")
    first = nodes[4]
    if not space_to_depth_ok(first, inits):
        raise SystemExit("s2d: the first convolution is not 5x5, stride 2, SAME_UPPER on 3 channels")
    for t in g.initializer:
        if t.name == first.input[1]:
            t.CopyFrom(numpy_helper.from_array(space_to_depth_kernel(inits[first.input[1]]), t.name))

    def init(name, arr):
        g.initializer.append(numpy_helper.from_array(arr, name))
        return name

    minus1, two = init("s2d/minus1", np.array([-1], np.int64)), init("s2d/two", np.array([2], np.int64))
    prelude = [
        helper.make_node("Shape", ["input"], ["s2d/shape"]),
        helper.make_node("Gather", ["s2d/shape", init("s2d/iw", np.array([2], np.int64))], ["s2d/w"], axis=0),
        helper.make_node("Gather", ["s2d/shape", init("s2d/in", np.array([0], np.int64))], ["s2d/n"], axis=0),
        helper.make_node("Div", ["s2d/w", two], ["s2d/w2"]),
        helper.make_node("Concat", [minus1, two, "s2d/w2", init("s2d/six", np.array([6], np.int64))], ["s2d/sa"], axis=0),
        helper.make_node("Reshape", ["input", "s2d/sa"], ["s2d/blocks"]),
        helper.make_node("Transpose", ["s2d/blocks"], ["s2d/blocks_t"], perm=[0, 2, 1, 3]),
        helper.make_node("Concat", ["s2d/n", minus1, "s2d/w2", init("s2d/twelve", np.array([12], np.int64))], ["s2d/s4"], axis=0),
        helper.make_node("Reshape", ["s2d/blocks_t", "s2d/s4"], ["s2d/x12"]),
        helper.make_node("Cast", ["s2d/x12"], [nodes[0].output[0]], to=TensorProto.FLOAT),
    ]
    del first.attribute[:]
    first.attribute.extend(
        [helper.make_attribute("kernel_shape", [3, 3]), helper.make_attribute("pads", [1, 1, 1, 1]), helper.make_attribute("strides", [1, 1])]
    )
    del g.node[:]
    g.node.extend(prelude + nodes[1:])
    onnx.checker.check_model(m)
    onnx.save(m, out_path)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("expose")
    e.add_argument("model")
    e.add_argument("out")
    sd = sub.add_parser("s2d")
    sd.add_argument("model")
    sd.add_argument("out")
    qa = sub.add_parser("quantize")
    qa.add_argument("model")
    qa.add_argument("stats")
    qa.add_argument("out")
    qa.add_argument("--method", choices=["mse", "percentile", "minmax"], default="mse")
    qa.add_argument("--percentile", type=float, default=99.99)
    qa.add_argument("--s2d", action="store_true", help="first convolution on 2x2 pixel blocks (faster in int8)")
    qa.add_argument("--float-after", type=int, help="keep everything after the n-th max-pool in float")
    qa.add_argument("--equalize", type=float, default=0.0, help="cross-layer equalisation power (0 off, 0.5 typical)")
    qa.add_argument("--ranges-out", help="also write the chosen activation ranges as JSON")
    a = ap.parse_args()
    if a.cmd == "quantize" and a.float_after is not None and a.float_after < 1:
        ap.error("--float-after must be at least 1 (the first convolution is always quantised)")
    if a.cmd == "expose":
        expose(a.model, a.out)
    elif a.cmd == "s2d":
        space_to_depth_float(a.model, a.out)
    else:
        r = quantize(a.model, a.stats, a.out, a.method, a.percentile, a.s2d, a.float_after, a.equalize)
        if a.ranges_out:
            json.dump(r, open(a.ranges_out, "w"), indent=0, sort_keys=True)
        print(f"wrote {a.out}: {len(r)} activation ranges ({a.method})", file=sys.stderr)
