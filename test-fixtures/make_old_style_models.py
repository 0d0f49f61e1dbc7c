"""Writes two small models in the styles the real-model corpus needs and the shared fixtures lack (the real
ones are tens of MB): an opset-9 OCR recognizer laid out as Paddle2ONNX exports it, and a segmenter that
computes in float16 throughout. Weights are random (seeded); the graphs follow the exporters' patterns.
Run with /usr/bin/python3 (Debian python3-onnx, numpy) from the repository root."""
import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper as nh

rng = np.random.default_rng(0)


def conv_bn(prefix, x, cin, cout, nodes, inits, dtype=np.float32):
    """Conv + BatchNormalization as Paddle2ONNX writes them (BN left unfolded, spatial/is_test gone at 9)."""
    inits += [
        nh.from_array((rng.standard_normal((cout, cin, 3, 3)) * np.sqrt(2 / (cin * 9))).astype(dtype), f"{prefix}_weights"),
        nh.from_array((1 + 0.1 * rng.standard_normal(cout)).astype(dtype), f"{prefix}_bn_scale"),
        nh.from_array((0.1 * rng.standard_normal(cout)).astype(dtype), f"{prefix}_bn_offset"),
        nh.from_array((0.1 * rng.standard_normal(cout)).astype(dtype), f"{prefix}_bn_mean"),
        nh.from_array((0.5 + rng.random(cout)).astype(dtype), f"{prefix}_bn_variance"),
    ]
    nodes += [
        h.make_node("Conv", [x, f"{prefix}_weights"], [f"{prefix}_conv"], name=f"conv2d_{prefix}", pads=[1, 1, 1, 1], strides=[1, 1], dilations=[1, 1], group=1),
        h.make_node(
            "BatchNormalization",
            [f"{prefix}_conv", f"{prefix}_bn_scale", f"{prefix}_bn_offset", f"{prefix}_bn_mean", f"{prefix}_bn_variance"],
            [f"{prefix}_bn"],
            name=f"batch_norm_{prefix}",
            epsilon=1e-5,
            momentum=0.9,
        ),
    ]
    return f"{prefix}_bn"


def paddle_ocr_rec():
    nodes, inits = [], []
    x = conv_bn("c1", "x", 3, 8, nodes, inits)
    # relu6 as Paddle2ONNX writes it at opset 9: Clip with min/max attributes.
    nodes.append(h.make_node("Clip", [x], ["c1_relu6"], name="relu6_0", min=0.0, max=6.0))
    nodes.append(h.make_node("MaxPool", ["c1_relu6"], ["p1"], name="pool2d_0", kernel_shape=[2, 2], strides=[2, 2], pads=[0, 0, 0, 0]))
    x = conv_bn("c2", "p1", 8, 16, nodes, inits)
    # hard_swish: x * clip(x + 3, 0, 6) / 6
    inits.append(nh.from_array(np.array([3.0], np.float32), "hs_three"))
    inits.append(nh.from_array(np.array([1 / 6], np.float32), "hs_sixth"))
    nodes += [
        h.make_node("Add", [x, "hs_three"], ["hs_add"], name="hard_swish_add"),
        h.make_node("Clip", ["hs_add"], ["hs_clip"], name="hard_swish_clip", min=0.0, max=6.0),
        h.make_node("Mul", [x, "hs_clip"], ["hs_mul"], name="hard_swish_mul"),
        h.make_node("Mul", ["hs_mul", "hs_sixth"], ["c2_act"], name="hard_swish_scale"),
        h.make_node("MaxPool", ["c2_act"], ["p2"], name="pool2d_1", kernel_shape=[2, 1], strides=[2, 1], pads=[0, 0, 0, 0]),
        # [N,16,4,W] -> [N,W,64]: the sequence for the CTC head.
        h.make_node("Transpose", ["p2"], ["p2_t"], name="transpose_0", perm=[0, 3, 1, 2]),
    ]
    inits.append(nh.from_array(np.array([0, 0, 64], np.int64), "reshape_shape"))
    nodes.append(h.make_node("Reshape", ["p2_t", "reshape_shape"], ["seq"], name="reshape2_0"))
    inits.append(nh.from_array((rng.standard_normal((64, 37)) * 0.15).astype(np.float32), "fc_w"))
    inits.append(nh.from_array((0.01 * rng.standard_normal(37)).astype(np.float32), "fc_b"))
    nodes += [
        h.make_node("MatMul", ["seq", "fc_w"], ["fc_mm"], name="matmul_0"),
        h.make_node("Add", ["fc_mm", "fc_b"], ["fc_out"], name="elementwise_add_0"),
        h.make_node("Softmax", ["fc_out"], ["softmax_0.tmp_0"], name="softmax_0", axis=2),
    ]
    graph = h.make_graph(
        nodes,
        "paddle-ocr-rec-style",
        [h.make_value_info("x", h.make_tensor_type_proto(T.FLOAT, ["p2o.DynamicDimension.0", 3, 16, "p2o.DynamicDimension.1"]))],
        [h.make_value_info("softmax_0.tmp_0", h.make_tensor_type_proto(T.FLOAT, ["p2o.DynamicDimension.2", "p2o.DynamicDimension.3", 37]))],
        inits,
    )
    model = h.make_model(graph, opset_imports=[h.make_opsetid("", 9)], producer_name="PaddlePaddle")
    model.ir_version = 5
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, "test-fixtures/onnx/paddle_style_ocr_rec_opset9.onnx")


def fp16_segmenter():
    nodes, inits = [], []
    f16 = np.float16

    def conv(name, x, cin, cout, out):
        inits.append(nh.from_array((rng.standard_normal((cout, cin, 3, 3)) * np.sqrt(2 / (cin * 9))).astype(f16), f"{name}.weight"))
        inits.append(nh.from_array((0.05 * rng.standard_normal(cout)).astype(f16), f"{name}.bias"))
        nodes.append(h.make_node("Conv", [x, f"{name}.weight", f"{name}.bias"], [out], name=name, pads=[1, 1, 1, 1]))

    conv("enc1", "image", 3, 16, "e1")
    nodes.append(h.make_node("Relu", ["e1"], ["e1r"], name="enc1_relu"))
    nodes.append(h.make_node("MaxPool", ["e1r"], ["d1"], name="down1", kernel_shape=[2, 2], strides=[2, 2]))
    conv("enc2", "d1", 16, 32, "e2")
    nodes.append(h.make_node("Relu", ["e2"], ["e2r"], name="enc2_relu"))
    inits.append(nh.from_array(np.array([1, 1, 2, 2], np.float32), "up_scales"))
    nodes.append(h.make_node("Resize", ["e2r", "", "up_scales"], ["u1"], name="up1", mode="linear"))
    nodes.append(h.make_node("Concat", ["u1", "e1r"], ["cat"], name="skip", axis=1))
    conv("dec1", "cat", 48, 16, "dc1")
    nodes.append(h.make_node("Relu", ["dc1"], ["dc1r"], name="dec1_relu"))
    conv("head", "dc1r", 16, 2, "logits")
    nodes.append(h.make_node("Sigmoid", ["logits"], ["mask"], name="mask_sigmoid"))
    graph = h.make_graph(
        nodes,
        "fp16-segmenter",
        [h.make_value_info("image", h.make_tensor_type_proto(T.FLOAT16, ["batch", 3, 32, 32]))],
        [h.make_value_info("mask", h.make_tensor_type_proto(T.FLOAT16, ["batch", 2, 32, 32]))],
        inits,
    )
    model = h.make_model(graph, opset_imports=[h.make_opsetid("", 13)], producer_name="onnxconverter-common-style")
    model.ir_version = 7
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, "test-fixtures/onnx/fp16_segmenter.onnx")


paddle_ocr_rec()
fp16_segmenter()
