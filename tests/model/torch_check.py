#!/usr/bin/env python3
"""torch_check.py — a consentry checkpoint gives the same logits, loss and
gradients in PyTorch.

Usage: torch_check.py DIR
DIR holds a consentry checkpoint (config.json, model.safetensors) and what
consentry computed with it: io.safetensors (inputs, targets as float, logits,
loss) and grads.safetensors (the loss gradient under the state-dict names).
The script builds GPT-2 from plain torch operations (no transformers
package), loads the safetensors file with struct + json (no safetensors
package), runs it in float64 and compares. Exit 0 when everything agrees
within tolerance (logits and loss 1e-4), 1 otherwise.
"""
import json
import math
import struct
import sys

import torch
import torch.nn.functional as F


def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    base = 8 + n
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        assert e["dtype"] == "F32", name
        b, en = e["data_offsets"]
        t = torch.frombuffer(bytearray(data[base + b:base + en]), dtype=torch.float32)
        out[name] = t.reshape(e["shape"]).double()
    return out


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


def forward(p, cfg, idx):
    B, T = idx.shape
    C, NH, L = cfg["n_embd"], cfg["n_head"], cfg["n_layer"]
    eps = cfg.get("layer_norm_epsilon", 1e-5)
    x = p["transformer.wte.weight"][idx] + p["transformer.wpe.weight"][:T]
    mask = torch.tril(torch.ones(T, T, dtype=torch.bool))
    for i in range(L):
        h = lambda s: p["transformer.h.%d.%s" % (i, s)]
        a = F.layer_norm(x, (C,), h("ln_1.weight"), h("ln_1.bias"), eps)
        qkv = a @ h("attn.c_attn.weight") + h("attn.c_attn.bias")  # Conv1D: (in,out)
        q, k, v = qkv.split(C, dim=2)
        q, k, v = [t.view(B, T, NH, C // NH).transpose(1, 2) for t in (q, k, v)]
        att = (q @ k.transpose(-2, -1)) / math.sqrt(C // NH)
        att = att.masked_fill(~mask, float("-inf")).softmax(dim=-1)
        y = (att @ v).transpose(1, 2).reshape(B, T, C)
        x = x + y @ h("attn.c_proj.weight") + h("attn.c_proj.bias")
        m = F.layer_norm(x, (C,), h("ln_2.weight"), h("ln_2.bias"), eps)
        m = gelu_new(m @ h("mlp.c_fc.weight") + h("mlp.c_fc.bias"))
        x = x + m @ h("mlp.c_proj.weight") + h("mlp.c_proj.bias")
    x = F.layer_norm(x, (C,), p["transformer.ln_f.weight"], p["transformer.ln_f.bias"], eps)
    return x @ p["transformer.wte.weight"].T  # tied head


def main():
    d = sys.argv[1]
    cfg = json.load(open(d + "/config.json"))
    params = load_safetensors(d + "/model.safetensors")
    io = load_safetensors(d + "/io.safetensors")
    grads = load_safetensors(d + "/grads.safetensors")
    ok = True
    if not torch.equal(params["lm_head.weight"], params["transformer.wte.weight"]):
        print("lm_head.weight is not a copy of transformer.wte.weight")
        ok = False
    del params["lm_head.weight"]
    for t in params.values():
        t.requires_grad_(True)
    idx = io["inputs"].long()
    targets = io["targets"].long()
    logits = forward(params, cfg, idx)
    V = cfg["vocab_size"]
    loss = F.cross_entropy(logits.view(-1, V), targets.view(-1))
    loss.backward()
    dlogits = (logits.detach() - io["logits"].view(logits.shape)).abs().max().item()
    dloss = abs(loss.item() - io["loss"].item())
    print("logits: max |consentry - torch| = %.3g" % dlogits)
    print("loss:   consentry %.7f, torch %.7f, |diff| = %.3g" % (io["loss"].item(), loss.item(), dloss))
    ok &= dlogits <= 1e-4 and dloss <= 1e-4
    worst_name, worst = "", 0.0
    for name, t in params.items():
        g = grads[name]
        err = ((t.grad - g).abs() / (1e-5 + 1e-3 * t.grad.abs())).max().item()
        if err > worst:
            worst_name, worst = name, err
    print("grads:  worst error %.3g of tolerance (|diff| <= 1e-5 + 1e-3 |g|) at %s" % (worst, worst_name))
    ok &= worst <= 1.0
    print("OK" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
