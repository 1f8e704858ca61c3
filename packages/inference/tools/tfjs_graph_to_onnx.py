#!/usr/bin/env python3
"""Writes a small tfjs graph model (convolutional, NHWC) as an ONNX graph (NCHW) with a dynamic input size.

Used for Human's BlazeFace ("back" model, MediaPipe, Apache-2.0): the ops it needs are _FusedConv2D
(BiasAdd [+ Relu]), DepthwiseConv2dNative, AddV2, Relu, MaxPool, Pad, Reshape and Identity. Other ops fail
loudly. The final Reshape nodes are dropped: the graph outputs the raw NHWC head maps ([N, h, w, anchors*k]),
so the caller decodes anchors for any input size instead of the fixed 256 px grid the Reshape bakes in.
A Pad that only appends zero channels is written as a 1×1 identity Conv (see the Pad branch for why).
--align 16 pads inner channel counts with zero channels (see widen_channels: the variant for AVX-512 CPUs).

The image scaling the model was trained with (x / 127.5 - 1 on 0..255 RGB) is part of the graph, so the
input is uint8 RGB, NHWC: [N, H, W, 3] (the frame's own bytes; the cast is in the graph), H and W
multiples of 32.

Usage: python3 tfjs_graph_to_onnx.py MODEL.json OUT.onnx [--name NAME] [--align N]
"""
import argparse
import base64
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def read_weights(model_path, manifest):
    folder = os.path.dirname(model_path)
    weights = {}
    for group in manifest:
        blob = b"".join(open(os.path.join(folder, p), "rb").read() for p in group["paths"])
        offset = 0
        for w in group["weights"]:
            if "quantization" in w:
                raise SystemExit(f"quantized weight {w['name']} is not supported")
            dtype = {"float32": np.float32, "int32": np.int32}[w["dtype"]]
            count = int(np.prod(w["shape"])) if w["shape"] else 1
            arr = np.frombuffer(blob, dtype=dtype, count=count, offset=offset).reshape(w["shape"])
            offset += count * 4
            weights[w["name"]] = arr
    return weights


def attr_str(node, key):
    return base64.b64decode(node["attr"][key]["s"]).decode()


def attr_ints(node, key):
    return [int(i) for i in node["attr"][key]["list"].get("i", [])]


def convert(model_path, out_path, name, align=1):
    model = json.load(open(model_path))
    weights = read_weights(model_path, model["weightsManifest"])
    nodes = model["modelTopology"]["node"]
    consts = {n["name"] for n in nodes if n["op"] == "Const"}
    onnx_nodes, inits = [], []
    alias = {}  # tfjs tensor name -> onnx tensor name
    channels = {"x_norm": 3}  # onnx tensor name -> channel count, where known

    def src(n):
        n = n.split(":")[0]
        return alias.get(n, n)

    def init(nm, arr):
        inits.append(numpy_helper.from_array(np.ascontiguousarray(arr), nm))
        return nm

    # Input: uint8 NHWC 0..255 -> float NCHW, x / 127.5 - 1.
    onnx_nodes.append(helper.make_node("Cast", ["input"], ["x_float"], to=TensorProto.FLOAT))
    onnx_nodes.append(helper.make_node("Transpose", ["x_float"], ["x_nchw"], perm=[0, 3, 1, 2]))
    onnx_nodes.append(
        helper.make_node("Mul", ["x_nchw", init("scale", np.array(1 / 127.5, np.float32))], ["x_scaled"])
    )
    onnx_nodes.append(helper.make_node("Sub", ["x_scaled", init("one", np.array(1, np.float32))], ["x_norm"]))
    outputs = []
    for n in nodes:
        op, nm = n["op"], n["name"]
        ins = [i for i in n.get("input", []) if not i.startswith("^")]
        if op == "Const":
            continue
        if op == "Placeholder":
            alias[nm] = "x_norm"
        elif op in ("_FusedConv2D", "DepthwiseConv2dNative"):
            w = weights[ins[1]]  # HWIO (conv) or HW,Cin,mult (depthwise)
            if attr_str(n, "data_format") != "NHWC":
                raise SystemExit(f"{nm}: only NHWC")
            strides = attr_ints(n, "strides")[1:3]
            dil = attr_ints(n, "dilations")[1:3] if "dilations" in n["attr"] else [1, 1]
            pad = attr_str(n, "padding")
            auto_pad = {"SAME": "SAME_UPPER", "VALID": "VALID"}[pad]
            if op == "DepthwiseConv2dNative":
                h, wd, cin, mult = w.shape
                kernel = w.transpose(2, 3, 0, 1).reshape(cin * mult, 1, h, wd)
                group = cin
                bias = None
            else:
                kernel = w.transpose(3, 2, 0, 1)
                group = 1
                fused = [base64.b64decode(s).decode() for s in n["attr"]["fused_ops"]["list"]["s"]]
                if fused[0] != "BiasAdd" or any(f not in ("Relu",) for f in fused[1:]):
                    raise SystemExit(f"{nm}: fused ops {fused} not supported")
                bias = weights[ins[2]]
            conv_in = [src(ins[0]), init(nm + "/W", kernel.astype(np.float32))]
            if bias is not None:
                conv_in.append(init(nm + "/B", bias.astype(np.float32)))
            out = nm
            onnx_nodes.append(
                helper.make_node(
                    "Conv",
                    conv_in,
                    [nm + ("/conv" if op == "_FusedConv2D" and len(fused) > 1 else "")],
                    kernel_shape=list(kernel.shape[2:]),
                    strides=strides,
                    dilations=dil,
                    group=group,
                    auto_pad=auto_pad,
                )
            )
            if op == "_FusedConv2D" and len(fused) > 1:
                onnx_nodes.append(helper.make_node("Relu", [nm + "/conv"], [out]))
            channels[out] = kernel.shape[0]
        elif op == "AddV2":
            onnx_nodes.append(helper.make_node("Add", [src(ins[0]), src(ins[1])], [nm]))
            if src(ins[0]) in channels:
                channels[nm] = channels[src(ins[0])]
        elif op == "Relu":
            onnx_nodes.append(helper.make_node("Relu", [src(ins[0])], [nm]))
            if src(ins[0]) in channels:
                channels[nm] = channels[src(ins[0])]
        elif op == "MaxPool":
            k = attr_ints(n, "ksize")[1:3]
            s = attr_ints(n, "strides")[1:3]
            auto_pad = {"SAME": "SAME_UPPER", "VALID": "VALID"}[attr_str(n, "padding")]
            onnx_nodes.append(
                helper.make_node("MaxPool", [src(ins[0])], [nm], kernel_shape=k, strides=s, auto_pad=auto_pad)
            )
            if src(ins[0]) in channels:
                channels[nm] = channels[src(ins[0])]
        elif op == "Pad":
            p = weights[ins[1]].astype(np.int64)  # NHWC [[b, a], ...]
            cin = channels.get(src(ins[0]))
            if cin is not None and not p[:3].any() and p[3, 0] == 0 and p[3, 1] > 0:
                # Zero channels appended to a residual (BlazeFace's wider blocks): the same values from a 1×1
                # convolution with an identity kernel. ONNX Runtime keeps a Conv in its blocked (NCHWc) layout
                # and fuses the residual Add and Relu into the next Conv; a Pad breaks that chain, and every
                # later block then pays two reorders and an unfused Add and Relu (a fifth of the run).
                cout = cin + int(p[3, 1])
                eye = np.zeros((cout, cin, 1, 1), np.float32)
                eye[np.arange(cin), np.arange(cin), 0, 0] = 1
                onnx_nodes.append(helper.make_node("Conv", [src(ins[0]), init(nm + "/W", eye)], [nm], kernel_shape=[1, 1]))
                channels[nm] = cout
                continue
            nchw = p[[0, 3, 1, 2]]
            pads = np.concatenate([nchw[:, 0], nchw[:, 1]])
            onnx_nodes.append(helper.make_node("Pad", [src(ins[0]), init(nm + "/pads", pads)], [nm], mode="constant"))
        elif op == "Reshape":
            # Head output: expose the NHWC map before the fixed-size reshape.
            out_name = f"head_{len(outputs)}"
            onnx_nodes.append(helper.make_node("Transpose", [src(ins[0])], [out_name], perm=[0, 2, 3, 1]))
            alias[nm] = out_name
            outputs.append(out_name)
        elif op == "Identity":
            alias[nm] = src(ins[0])
        else:
            raise SystemExit(f"unsupported op {op} ({nm})")
    inp = helper.make_tensor_value_info("input", TensorProto.UINT8, ["N", "H", "W", 3])
    outs = [helper.make_tensor_value_info(o, TensorProto.FLOAT, ["N", None, None, None]) for o in outputs]
    graph = helper.make_graph(onnx_nodes, name, [inp], outs, inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="shelf-sentiment")
    m.ir_version = 8
    if align > 1:
        widen_channels(m, align)
    onnx.checker.check_model(m)
    onnx.save(m, out_path)
    return outputs


def widen_channels(m, align):
    """Pads every inner tensor's channel count up to a multiple of `align` with channels that stay zero.

    The network computes the same function (extra filters, biases and input weights are zero; relu(0) = 0,
    max-pool and residual adds keep zeros zero); the head outputs keep their sizes. Why: on AVX-512 CPUs ONNX
    Runtime's blocked NCHWc layout works in blocks of 16 channels; it pads BlazeFace's 24-channel first stage
    to 32 anyway, but a 24-channel max-pool cannot stay blocked, so the following residual blocks reorder to
    NCHW and back and run Add and Relu unfused. With 32 real channels the whole stage stays blocked. On AVX2
    (blocks of 8) the unpadded graph is the faster one: 24 channels are already aligned there.
    """
    g = m.graph
    inits = {i.name: i for i in g.initializer}
    outputs = {o.name for o in g.output}
    consumers = {}
    for n in g.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)

    def arr(nm):
        return numpy_helper.to_array(inits[nm])

    def put(nm, a):
        inits[nm].CopyFrom(numpy_helper.from_array(np.ascontiguousarray(a, np.float32), nm))

    def reaches_output(t):
        # A head: Conv (+ Relu) -> Transpose -> graph output. Its channel count is part of the interface.
        for c in consumers.get(t, []):
            if c.op_type == "Transpose" and c.output[0] in outputs:
                return True
            if c.op_type == "Relu" and reaches_output(c.output[0]):
                return True
        return False

    logical = {"x_norm": 3}
    padded = {"x_norm": 3}
    for n in g.node:  # topological order, as convert() writes it
        if n.op_type == "Conv":
            w = arr(n.input[1])
            group = next((a.i for a in n.attribute if a.name == "group"), 1)
            cin = padded[n.input[0]]
            cout = w.shape[0]
            if group > 1:  # depthwise: one filter per (padded) input channel
                cout_p = cin
                for a in n.attribute:
                    if a.name == "group":
                        a.i = cin
                w_p = np.zeros((cout_p,) + w.shape[1:], np.float32)
            else:
                cout_p = cout if cout % align == 0 or reaches_output(n.output[0]) else -(-cout // align) * align
                w_p = np.zeros((cout_p, cin) + w.shape[2:], np.float32)
            w_p[:cout, : w.shape[1]] = w
            put(n.input[1], w_p)
            if len(n.input) > 2 and n.input[2]:
                b_p = np.zeros(cout_p, np.float32)
                b_p[:cout] = arr(n.input[2])
                put(n.input[2], b_p)
            logical[n.output[0]] = cout
            padded[n.output[0]] = cout_p
        elif n.op_type in ("Relu", "MaxPool", "Add") and n.input[0] in padded:
            widths = {padded[i] for i in n.input if i in padded}
            if len(widths) != 1:
                raise SystemExit(f"{n.name}: inputs padded differently {widths}")
            logical[n.output[0]] = logical[n.input[0]]
            padded[n.output[0]] = widths.pop()
        elif n.op_type == "Transpose" and padded.get(n.input[0]) != logical.get(n.input[0]):
            raise SystemExit(f"{n.name}: a head output would change size")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("out")
    ap.add_argument("--name", default="graph")
    ap.add_argument("--align", type=int, default=1, help="pad inner channel counts to a multiple of this")
    a = ap.parse_args()
    outs = convert(a.model, a.out, a.name, a.align)
    print(f"wrote {a.out}: outputs {outs}", file=sys.stderr)
