#!/usr/bin/env python3
"""lm_torch.py — PyTorch twin of bench_lm.c (not a test): the same byte-level
GPT-2 (biases, tied head, tanh GELU, LayerNorm eps 1e-5), split, batches
(splitmix64 starts), schedule (warm-up, cosine), AdamW (betas 0.9/beta2,
eps 1e-8, weight decay 0.1 on 2-D weights and embeddings), clipping at 1,
validation windows and output lines, in fp32 on torch.set_num_threads
(default 2). --init DIR starts from a consentry checkpoint (bench_lm
--save-init DIR), so both sides train from the same weights on the same
batches. --sample N times N tokens of KV-cache sampling (batch 1,
temperature 0.8, top-k 40), as bench_lm does.

Usage: /usr/bin/python3 bench/train/lm_torch.py --text FILE [same options as bench_lm]
"""
import argparse
import json
import math
import struct
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

M64 = (1 << 64) - 1


def splitmix64(x):
    x = (x + 0x9E3779B97F4A7C15) & M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
    return x ^ (x >> 31)


def split_posts(data):
    train, val, k = [], [], 0
    for post in data.split(b"\n\n"):
        post = post.strip(b"\n").rstrip(b"\n ")
        if not post:
            continue
        (val if k % 10 == 9 else train).append(post)
        k += 1
    return b"\n\n".join(train), b"\n\n".join(val)


class Block(nn.Module):
    def __init__(self, C, NH):
        super().__init__()
        self.NH = NH
        self.ln_1, self.ln_2 = nn.LayerNorm(C), nn.LayerNorm(C)
        self.c_attn, self.c_proj = nn.Linear(C, 3 * C), nn.Linear(C, C)
        self.c_fc, self.mlp_proj = nn.Linear(C, 4 * C), nn.Linear(4 * C, C)

    def forward(self, x, cache=None):
        B, T, C = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(C, dim=2)
        q, k, v = [t.view(B, T, self.NH, C // self.NH).transpose(1, 2) for t in (q, k, v)]
        if cache is not None:  # one new position against the cached ones
            if cache:
                k = torch.cat([cache[0], k], dim=2)
                v = torch.cat([cache[1], v], dim=2)
            cache[:] = [k, v]
            att = ((q @ k.transpose(-2, -1)) / math.sqrt(C // self.NH)).softmax(dim=-1)
        else:
            att = (q @ k.transpose(-2, -1)) / math.sqrt(C // self.NH)
            mask = torch.ones(T, T, dtype=torch.bool).tril()
            att = att.masked_fill(~mask, float("-inf")).softmax(dim=-1)
        y = (att @ v).transpose(1, 2).reshape(B, T, C)
        x = x + self.c_proj(y)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class GPT(nn.Module):
    def __init__(self, V, T, L, NH, C):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(V, C), nn.Embedding(T, C)
        self.h = nn.ModuleList(Block(C, NH) for _ in range(L))
        self.ln_f = nn.LayerNorm(C)
        for name, p in self.named_parameters():  # GPT-2 init, as consentry's
            if p.dim() == 2:
                std = 0.02 / math.sqrt(2 * L) if name.endswith("c_proj.weight") or "mlp_proj" in name else 0.02
                nn.init.normal_(p, std=std)
            elif "ln" not in name:
                nn.init.zeros_(p)

    def forward(self, idx, targets=None, caches=None, pos=0):
        B, T = idx.shape
        x = self.wte(idx) + self.wpe(torch.arange(pos, pos + T))
        for i, b in enumerate(self.h):
            x = b(x, None if caches is None else caches[i])
        logits = self.ln_f(x) @ self.wte.weight.T
        if targets is None:
            return logits
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.reshape(-1))


def load_consentry(model, d, L):
    with open(d + "/model.safetensors", "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    p = {}
    for name, e in header.items():
        if name != "__metadata__":
            b, en = e["data_offsets"]
            t = torch.frombuffer(bytearray(data[8 + n + b:8 + n + en]), dtype=torch.float32)
            p[name] = t.reshape(e["shape"])
    sd = {"wte.weight": p["transformer.wte.weight"], "wpe.weight": p["transformer.wpe.weight"],
          "ln_f.weight": p["transformer.ln_f.weight"], "ln_f.bias": p["transformer.ln_f.bias"]}
    names = {"ln_1": "ln_1", "ln_2": "ln_2", "attn.c_attn": "c_attn", "attn.c_proj": "c_proj",
             "mlp.c_fc": "c_fc", "mlp.c_proj": "mlp_proj"}
    for i in range(L):
        for src, dst in names.items():
            w = p["transformer.h.%d.%s.weight" % (i, src)]
            sd["h.%d.%s.weight" % (i, dst)] = w if src.startswith("ln") else w.T.contiguous()
            sd["h.%d.%s.bias" % (i, dst)] = p["transformer.h.%d.%s.bias" % (i, src)]
    model.load_state_dict(sd)


def lr_at(a, step):
    if step < a.warmup:
        return a.lr * (step + 1) / a.warmup
    if step >= a.steps:
        return a.min_lr
    ratio = (step - a.warmup) / (a.steps - a.warmup)
    return a.min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (a.lr - a.min_lr)


@torch.no_grad()
def eval_windows(model, val, starts, B, T):
    total = 0.0
    for i in range(0, len(starts), B):
        s = starts[i:i + B]
        x = torch.stack([val[j:j + T] for j in s])
        y = torch.stack([val[j + 1:j + T + 1] for j in s])
        total += model(x, y).item() * len(s)
    return total / len(starts)


@torch.no_grad()
def sample(model, a):
    prompt = list(a.prompt.encode())
    g = torch.Generator().manual_seed(7)
    caches = [[] for _ in model.h]
    t0 = time.perf_counter()
    logits = model(torch.tensor([prompt]), caches=caches)[0, -1]
    pos, out = len(prompt), []
    for _ in range(a.sample):
        if pos >= a.context:  # as consentry: rebuild from the last half
            keep = (prompt + out)[-(a.context // 2):]
            caches = [[] for _ in model.h]
            logits = model(torch.tensor([keep]), caches=caches)[0, -1]
            pos = len(keep)
        v, ix = (logits / 0.8).topk(40)
        tok = ix[torch.multinomial(v.softmax(-1), 1, generator=g)].item()
        out.append(tok)
        logits = model(torch.tensor([[tok]]), caches=caches, pos=pos)[0, -1]
        pos += 1
    dt = time.perf_counter() - t0
    text = bytes(out).decode("utf-8", "replace")
    print("sample %d tokens in %.3f s  %.0f tokens/s  (batch 1, KV cache)\n%s%s"
          % (len(out), dt, len(out) / dt, a.prompt, text))


def main():
    ap = argparse.ArgumentParser()
    for k, v in [("text", None), ("split", "tail"), ("init", None), ("prompt", "Excited to announce")]:
        ap.add_argument("--" + k, default=v)
    for k, v in [("layers", 4), ("heads", 4), ("embd", 128), ("context", 64), ("batch", 12),
                 ("eval-batches", 20), ("sample", 0), ("final-eval", 0), ("steps", 2000),
                 ("warmup", 100), ("eval-every", 100), ("seed", 1337), ("threads", 2)]:
        ap.add_argument("--" + k, type=int, default=v)
    for k, v in [("lr", 1e-3), ("min-lr", 1e-4), ("beta2", 0.99), ("target", 0.0), ("time-limit", 0.0)]:
        ap.add_argument("--" + k, type=float, default=v)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    data = open(a.text, "rb").read()
    if a.split == "posts":
        tr, va = split_posts(data)
    else:
        cut = len(data) - len(data) // 10
        tr, va = data[:cut], data[cut:]
    train = torch.frombuffer(bytearray(tr), dtype=torch.uint8).long()
    val = torch.frombuffer(bytearray(va), dtype=torch.uint8).long()
    B, T = a.batch, a.context
    model = GPT(256, T, a.layers, a.heads, a.embd)
    if a.init:
        load_consentry(model, a.init, a.layers)
    n_params = sum(p.numel() for p in model.parameters())
    decay = [p for n, p in model.named_parameters() if p.dim() == 2]
    other = [p for n, p in model.named_parameters() if p.dim() != 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": other, "weight_decay": 0.0}],
                            lr=a.lr, betas=(0.9, a.beta2), eps=1e-8)
    n_eval = a.eval_batches * B
    starts = [i * (len(va) - T - 1) // n_eval for i in range(n_eval)]
    print("lm_torch %s: %s (%s split: %d train, %d validation bytes), %d layers, %d heads, %d wide, "
          "context %d, batch %d, %d parameters, lr %g..%g, warm-up %d, %d steps, %d threads"
          % (torch.__version__, a.text, a.split, len(tr), len(va), a.layers, a.heads, a.embd, T, B,
             n_params, a.lr, a.min_lr, a.warmup, a.steps, a.threads))
    train_s, s = 0.0, 0
    while s < a.steps:
        t0 = time.perf_counter()
        rows = [splitmix64(a.seed ^ (s * B + r)) % (len(tr) - T) for r in range(B)]
        x = torch.stack([train[j:j + T] for j in rows])
        y = torch.stack([train[j + 1:j + T + 1] for j in rows])
        for g in opt.param_groups:
            g["lr"] = lr_at(a, s)
        opt.zero_grad(set_to_none=True)
        loss = model(x, y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        train_s += time.perf_counter() - t0
        s += 1
        last = s == a.steps or (a.time_limit > 0 and train_s >= a.time_limit)
        if s % a.eval_every == 0 or last:
            model.eval()
            vl = eval_windows(model, val, starts, B, T)
            model.train()
            print("step %d  train_s %.2f  train %.4f  val %.4f  (bpb %.3f)  tok/s %.0f"
                  % (s, train_s, loss.item(), vl, vl / math.log(2), s * B * T / train_s), flush=True)
            if a.target > 0 and vl <= a.target:
                print("reached val %.4f <= %.4f at step %d after %.2f training seconds" % (vl, a.target, s, train_s))
                break
            if last:
                break
    if a.final_eval:
        full = eval_windows(model, val, [i * T for i in range((len(va) - 1) // T)], B, T)
        print("final: %d steps, %.2f training seconds, validation over all %d windows: %.4f nats/byte, "
              "%.3f bits/byte" % (s, train_s, (len(va) - 1) // T, full, full / math.log(2)))
    if a.sample:
        model.eval()
        sample(model, a)


if __name__ == "__main__":
    main()
