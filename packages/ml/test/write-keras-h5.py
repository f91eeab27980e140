#!/usr/bin/python3
"""Writes a Keras weight file with h5py, independently of the reader under test, in Keras's documented layouts.

usage: write-keras-h5.py MANIFEST.json
       write-keras-h5.py --random OUT.h5 vgg16|LAYERS_JSON   (random conv layers, Keras 2 layout; LAYERS_JSON is
                         [[name, kernel shape], ...]; other workspaces' tests use this for upload fixtures)
MANIFEST: {"layout": "keras2" | "keras3", "out": path, "data": raw little-endian float32 file,
           "layers": [{"name": str, "weights": [{"name": "kernel", "shape": [...], "offset": elements}]}]}
- keras2 (Keras 2's save_weights to .h5, the applications' *_notop.h5): root attributes layer_names (every layer,
  weights or not), backend, keras_version; a group per layer with attribute weight_names
  ("<layer>/kernel:0", ...) and the datasets at those paths inside the group.
- keras3 (Keras 3's .weights.h5): /layers/<layer>/vars/<i> in the layer's variable order; "/" is not allowed in
  Keras 3 layer names, so its applications write "conv1/conv" as "conv1_conv".
"""
import json
import sys

import h5py
import numpy as np


def vgg16_layers():
    layers, cin = [], 3
    for b, (filters, convs) in enumerate([(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)], 1):
        for c in range(1, convs + 1):
            layers.append((f"block{b}_conv{c}", [3, 3, cin, filters]))
            cin = filters
    return layers


def random_manifest(out, spec):
    """A manifest and its data for random conv layers (kernel + zero bias each)."""
    layers = vgg16_layers() if spec == "vgg16" else json.loads(spec)
    rng = np.random.default_rng(7)
    chunks, entries, offset = [], [], 0
    for name, shape in layers:
        kernel = rng.standard_normal(int(np.prod(shape)), dtype="f4") * 0.05
        bias = np.zeros(shape[-1], "f4")
        entries.append({"name": name, "weights": [
            {"name": "kernel", "shape": shape, "offset": offset},
            {"name": "bias", "shape": [shape[-1]], "offset": offset + kernel.size},
        ]})
        chunks += [kernel, bias]
        offset += kernel.size + bias.size
    return {"layout": "keras2", "out": out, "layers": entries}, np.concatenate(chunks)


if sys.argv[1] == "--random":
    manifest, data = random_manifest(sys.argv[2], sys.argv[3])
else:
    manifest = json.load(open(sys.argv[1]))
    data = np.fromfile(manifest["data"], dtype="<f4")


def values(w):
    n = int(np.prod(w["shape"])) if w["shape"] else 1
    return data[w["offset"] : w["offset"] + n].reshape(w["shape"])


with h5py.File(manifest["out"], "w") as f:
    if manifest["layout"] == "keras2":
        f.attrs["backend"] = b"tensorflow"
        f.attrs["keras_version"] = b"2.2.4"
        f.attrs["layer_names"] = [l["name"].encode("utf8") for l in manifest["layers"]]
        for layer in manifest["layers"]:
            g = f.create_group(layer["name"])
            names = [f'{layer["name"]}/{w["name"]}:0'.encode("utf8") for w in layer["weights"]]
            g.attrs["weight_names"] = np.array(names, dtype="S") if names else np.array([], dtype="S")
            for name, w in zip(names, layer["weights"]):
                g.create_dataset(name.decode("utf8"), data=values(w))
    elif manifest["layout"] == "keras3":
        f.create_group("vars")
        root = f.create_group("layers")
        for layer in manifest["layers"]:
            vars_ = root.create_group(layer["name"].replace("/", "_")).create_group("vars")
            for i, w in enumerate(layer["weights"]):
                vars_.create_dataset(str(i), data=values(w))
    else:
        sys.exit(f"unknown layout {manifest['layout']}")
