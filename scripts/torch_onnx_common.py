"""What scripts/torch_mlp_onnx.py and scripts/torch_conv1d_onnx.py share: the ONNX export and the NPY files."""
import argparse
import os

import numpy as np
import torch


def arguments(seed):
    """OUT_DIR [--seed SEED]: creates OUT_DIR and seeds torch; returns the parsed arguments."""
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=seed)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(args.seed)
    return args


def run_and_export(model, x, hidden, out):
    """Runs model on x, keeping the outputs of the modules in hidden, and writes OUT/model.onnx
    (export) and the NPY files (save). Returns the model file's path and the hidden outputs."""
    activations = []
    hooks = [m.register_forward_hook(lambda _m, _i, o: activations.append(o.detach().clone())) for m in hidden]
    with torch.no_grad():
        y = model(x)
    for h in hooks:
        h.remove()
    path = os.path.join(out, "model.onnx")
    export(model, x, path)
    save(out, x, y, activations)
    return path, activations


def export(model, x, path):
    """torch.onnx.export with input "input" and output "output" [batch, ...], opset 13, the batch axis free."""
    kwargs = dict(input_names=["input"], output_names=["output"],
                  dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, opset_version=13)
    try:
        torch.onnx.export(model, x, path, dynamo=False, **kwargs)  # torch >= 2.5: the TorchScript exporter
    except TypeError:
        torch.onnx.export(model, x, path, **kwargs)  # older torch has no 'dynamo' argument


def save(out, x, y, activations):
    """input.npy, output.npy and act1.npy, act2.npy, ... in OUT."""
    np.save(os.path.join(out, "input.npy"), x.numpy())
    np.save(os.path.join(out, "output.npy"), y.numpy())
    for i, a in enumerate(activations, 1):
        np.save(os.path.join(out, f"act{i}.npy"), a.numpy())
