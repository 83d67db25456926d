"""Llama-style decoder (RMSNorm, RoPE, SwiGLU, GQA, no biases) in plain PyTorch.

Parameter naming follows Hugging Face LlamaForCausalLM so the checkpoint is easy to map.
`OnnxWrapper` is the export signature: what transformers.js expects (input_ids, attention_mask,
position_ids, past_key_values.{i}.key/value -> logits, present.{i}.key/value) plus a prompt K/V
shared by all rows (prefix_key_values.{i}.*) and each call's own rows (new_key_values.{i}.*).
"""
import math
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

NEG_INF = -1e9


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        # Statistics in fp32 even under bf16 autocast; a no-op for fp32 inputs (export, eval).
        xf = x.float()
        var = xf.pow(2).mean(-1, keepdim=True)
        return self.weight * (xf * torch.rsqrt(var + self.eps))


def rotate_half(x, half):
    # `half` is the config's head_dim // 2, a Python int: read from x.shape, torch.onnx would trace
    # it into Shape/Gather/Div nodes that run on every call (issue #10).
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class _KeepDimsReshape(torch.autograd.Function):
    """Reshape whose ONNX form is one Reshape with a constant target: 0 keeps the input's dimension
    at that index, -1 is inferred (ONNX Reshape semantics). Why: `x.view(b, t, ...)` with b and t
    read from shapes exports as a Shape -> Gather -> Unsqueeze -> Concat chain per reshape, and
    those tiny nodes ran on every decoder call (issue #10: about 290 of the 437 nodes onnxruntime
    kept; per-node dispatch is a large part of a 4-row step)."""

    @staticmethod
    def forward(ctx, x, shape):
        return x.reshape([x.shape[i] if s == 0 else s for i, s in enumerate(shape)])

    @staticmethod
    def symbolic(g, x, shape):
        # torch 1.13 flags g.op on a plain Graph as deprecated; it is the documented way for an
        # autograd.Function's symbolic in that version, so the warning is not the user's concern.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            return g.op("Reshape", x, g.op("Constant", value_t=torch.tensor(shape, dtype=torch.int64)))


def reshape_keep(x, shape):
    """x reshaped to `shape` (0 = keep that dimension, -1 = inferred); see _KeepDimsReshape."""
    if torch.onnx.is_in_onnx_export():
        return _KeepDimsReshape.apply(x, tuple(shape))
    return x.reshape([x.shape[i] if s == 0 else s for i, s in enumerate(shape)])


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.n_heads = cfg["num_attention_heads"]
        self.n_kv = cfg["num_key_value_heads"]
        self.head_dim = cfg["hidden_size"] // self.n_heads
        d = cfg["hidden_size"]
        self.q_proj = nn.Linear(d, self.n_heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(d, self.n_kv * self.head_dim, bias=False)
        self.v_proj = nn.Linear(d, self.n_kv * self.head_dim, bias=False)
        self.o_proj = nn.Linear(self.n_heads * self.head_dim, d, bias=False)

    def _rotated_qkv(self, x, cos, sin):
        """This call's queries, keys and values, [b, heads, t, head_dim], with rotary positions."""
        hd, half = self.head_dim, self.head_dim // 2
        q = reshape_keep(self.q_proj(x), (0, 0, -1, hd)).transpose(1, 2)
        k = reshape_keep(self.k_proj(x), (0, 0, -1, hd)).transpose(1, 2)
        v = reshape_keep(self.v_proj(x), (0, 0, -1, hd)).transpose(1, 2)
        return q * cos + rotate_half(q, half) * sin, k * cos + rotate_half(k, half) * sin, v

    def forward(self, x, cos, sin, mask, past_k=None, past_v=None, prefix=None):
        if prefix is not None:
            return self.forward_shared_prefix(x, cos, sin, prefix[0], mask, prefix[1], prefix[2], past_k, past_v, prefix[3])
        b, t = x.shape[0], x.shape[1]
        q, k, v = self._rotated_qkv(x, cos, sin)
        if past_k is not None:
            k = torch.cat([past_k, k], dim=2)
            v = torch.cat([past_v, v], dim=2)
        present = (k, v)
        rep = self.n_heads // self.n_kv
        scale = 1.0 / math.sqrt(self.head_dim)
        if self.training:
            if rep > 1:
                L = k.shape[2]
                k = k.unsqueeze(2).expand(b, self.n_kv, rep, L, self.head_dim).reshape(b, self.n_heads, L, self.head_dim)
                v = v.unsqueeze(2).expand(b, self.n_kv, rep, L, self.head_dim).reshape(b, self.n_heads, L, self.head_dim)
            # Same maths in one fused scale+mask+matmul (baddbmm): about 1.3x faster per CPU
            # training step. Export and inference use the grouped graph below.
            L = k.shape[2]
            bh = b * self.n_heads
            att = torch.baddbmm(mask.expand(b, self.n_heads, t, L).reshape(bh, t, L),
                                q.reshape(bh, t, self.head_dim), k.reshape(bh, L, self.head_dim).transpose(1, 2),
                                alpha=scale)
            att = torch.softmax(att, dim=-1)
            y = torch.bmm(att, v.reshape(bh, L, self.head_dim)).view(b, self.n_heads, t, self.head_dim)
        else:
            # Grouped-query attention without materialising repeat_kv (issue #10: the exported
            # graph had 8 Expand, 16 Transpose and 8 Concat nodes per call for it): the `rep`
            # query heads that share a K/V head are stacked along the query axis, so each K/V
            # head is read once by a plain MatMul. Every dot product is the same as before.
            L = k.shape[2]
            qg = q.reshape(b, self.n_kv, rep * t, self.head_dim)
            att = torch.matmul(qg, k.transpose(-1, -2)) * scale  # [b, n_kv, rep*t, L]
            att = att.view(b, self.n_kv, rep, t, L) + mask.unsqueeze(1)
            att = torch.softmax(att, dim=-1).view(b, self.n_kv, rep * t, L)
            y = torch.matmul(att, v).view(b, self.n_heads, t, self.head_dim)
        y = y.transpose(1, 2).reshape(b, t, self.n_heads * self.head_dim)
        return self.o_proj(y), present

    def forward_shared_prefix(self, x, cos, sin, prefix_mask, mask, prefix_k, prefix_v, past_k, past_v, prefix_len):
        """Attention over a prefix shared by every row plus each row's own suffix (export only;
        reached through `forward(..., prefix=(prefix_mask, prefix_k, prefix_v))` so that
        torch.onnx keeps the module scopes in node names, which quantize.py and reexport.py read).

        prefix_k/v: [1, n_kv, P, hd], the prompt's K/V once for all rows (issue #10: the beams
        share it; feeding it per row copied ~6 MB per call into the runtime and again in a
        Concat). past_k/v: [b, n_kv, S, hd], each row's generated suffix. prefix_mask [b, 1, 1, P]
        and mask [b, 1, rep * t, S + t] are additive (0 / NEG_INF), the latter already repeated for
        the `rep` query heads of a K/V head. Scores over the prefix and over suffix + new are
        computed apart, masked, and normalised by one softmax over their concatenation (small:
        rows x heads x t x (P + S + t)); the two weighted sums are added. The prefix is never
        concatenated or copied per row: the MatMuls broadcast its batch of 1 over the rows. Same
        dot products as `forward` on the concatenated cache; only the order of the final sums
        differs.

        Every reshape keeps or infers its dynamic dimensions (reshape_keep), and the masks come in
        the 4-D layout of the scores, so the graph computes no shapes per layer (issue #10).

        prefix_len is P, read once per call by OnnxWrapper rather than once per layer.

        Returns the projection and (present k, present v, this call's k, this call's v)."""
        q, k_new, v_new = self._rotated_qkv(x, cos, sin)
        k = torch.cat([past_k, k_new], dim=2)
        v = torch.cat([past_v, v_new], dim=2)
        hd = self.head_dim
        scale = 1.0 / math.sqrt(hd)
        # [b, n_kv, rep * t, hd]: the query heads that share a K/V head, stacked along the query
        # axis, so each K/V head is read by one plain MatMul (no repeat_kv).
        qg = reshape_keep(q, (0, self.n_kv, -1, hd))
        att_p = torch.matmul(qg, prefix_k.transpose(-1, -2)) * scale + prefix_mask
        att_s = torch.matmul(qg, k.transpose(-1, -2)) * scale + mask
        att = torch.softmax(torch.cat([att_p, att_s], dim=-1), dim=-1)
        y = torch.matmul(att[..., prefix_len:], v) + torch.matmul(att[..., :prefix_len], prefix_v)
        y = reshape_keep(reshape_keep(y, (0, self.n_heads, -1, hd)).transpose(1, 2), (0, 0, -1))
        return self.o_proj(y), (k, v, k_new, v_new)


class MLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d, h = cfg["hidden_size"], cfg["intermediate_size"]
        self.gate_proj = nn.Linear(d, h, bias=False)
        self.up_proj = nn.Linear(d, h, bias=False)
        self.down_proj = nn.Linear(h, d, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.input_layernorm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])
        self.self_attn = Attention(cfg)
        self.post_attention_layernorm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])
        self.mlp = MLP(cfg)

    def forward(self, x, cos, sin, mask, past_k=None, past_v=None, prefix=None):
        h, present = self.self_attn(self.input_layernorm(x), cos, sin, mask, past_k, past_v, prefix)
        x = x + h
        x = x + self.mlp(self.post_attention_layernorm(x))
        return x, present


class LlamaLM(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = dict(cfg)
        self.embed_tokens = nn.Embedding(cfg["vocab_size"], cfg["hidden_size"])
        self.layers = nn.ModuleList([Block(cfg) for _ in range(cfg["num_hidden_layers"])])
        self.norm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])
        self.tied = bool(cfg.get("tie_word_embeddings", True))
        if not self.tied:
            self.lm_head = nn.Linear(cfg["hidden_size"], cfg["vocab_size"], bias=False)
        hd = cfg["hidden_size"] // cfg["num_attention_heads"]
        inv = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, hd, 2, dtype=torch.float64) / hd))
        pos = torch.arange(cfg["max_position_embeddings"], dtype=torch.float64)
        freqs = torch.outer(pos, inv)
        emb = torch.cat([freqs, freqs], dim=-1)
        self.register_buffer("rope_cos", emb.cos().float(), persistent=False)
        self.register_buffer("rope_sin", emb.sin().float(), persistent=False)
        self.apply(self._init)
        for layer in self.layers:  # scaled init of residual projections
            std = 0.02 / math.sqrt(2 * cfg["num_hidden_layers"])
            nn.init.normal_(layer.self_attn.o_proj.weight, std=std)
            nn.init.normal_(layer.mlp.down_proj.weight, std=std)

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)

    def head_weight(self):
        return self.embed_tokens.weight if self.tied else self.lm_head.weight

    def _mask(self, attention_mask, t, past_len):
        # attention_mask: [B, L] (1 = attend), L = past_len + t. Causal over absolute slots.
        L = attention_mask.shape[1]
        q_idx = torch.arange(t, device=attention_mask.device).unsqueeze(1) + past_len
        k_idx = torch.arange(L, device=attention_mask.device).unsqueeze(0)
        causal = k_idx <= q_idx  # [t, L]
        keep = causal.unsqueeze(0).unsqueeze(0) & (attention_mask > 0).unsqueeze(1).unsqueeze(2)
        zero = torch.zeros((), dtype=torch.float32, device=attention_mask.device)
        neg = torch.full((), NEG_INF, dtype=torch.float32, device=attention_mask.device)
        return torch.where(keep, zero, neg)

    def forward(self, input_ids, attention_mask=None, position_ids=None, past=None, return_hidden=False):
        b, t = input_ids.shape
        past_len = 0 if past is None else past[0][0].shape[2]
        if attention_mask is None:
            attention_mask = torch.ones(b, past_len + t, dtype=torch.long, device=input_ids.device)
        if position_ids is None:
            position_ids = (attention_mask.long().cumsum(-1) - 1).clamp(min=0)[:, past_len:]
        x = self.embed_tokens(input_ids)
        cos = self.rope_cos[position_ids].unsqueeze(1)
        sin = self.rope_sin[position_ids].unsqueeze(1)
        mask = self._mask(attention_mask, t, past_len)
        presents = []
        for i, layer in enumerate(self.layers):
            pk, pv = (None, None) if past is None else past[i]
            x, pres = layer(x, cos, sin, mask, pk, pv)
            presents.append(pres)
        x = self.norm(x)
        if return_hidden:
            return x, presents
        return F.linear(x, self.head_weight()), presents

    def num_params(self):
        return sum(p.numel() for p in self.parameters())


class OnnxWrapper(nn.Module):
    """Flat-argument wrapper used by torch.onnx.export (export_onnx.io_names says what each is).

    Inputs: input_ids [b, t]; attention_mask [b, P + S + t] over prefix, past and new positions;
    position_ids [b, t], absolute (the prefix counts); past_flat = per layer the per-row
    past_key_values.N.key/value [b, n_kv, S, hd], then per layer the shared
    prefix_key_values.N.key/value [1, n_kv, P, hd]. A caller without a shared prefix (the
    transformers.js path) feeds P = 0 and the whole cache as the past: that is the former graph.
    The prefix always precedes every query, so only attention_mask hides any of it; the causal
    rule applies within past + new."""

    def __init__(self, model):
        super().__init__()
        self.model = model
        self.n_layers = len(model.layers)

    def forward(self, input_ids, attention_mask, position_ids, *past_flat):
        n = self.n_layers
        past = [(past_flat[2 * i], past_flat[2 * i + 1]) for i in range(n)]
        prefix = [(past_flat[2 * n + 2 * i], past_flat[2 * n + 2 * i + 1]) for i in range(n)]
        b, t = input_ids.shape[0], input_ids.shape[1]
        past_len = past_flat[0].shape[2]
        P = prefix[0][0].shape[2]
        m = self.model
        x = m.embed_tokens(input_ids)
        cos = m.rope_cos[position_ids].unsqueeze(1)
        sin = m.rope_sin[position_ids].unsqueeze(1)
        zero, neg = torch.zeros(()), torch.full((), NEG_INF)
        prefix_mask = torch.where(attention_mask[:, :P] > 0, zero, neg)[:, None, None, :]
        own = attention_mask[:, P:]
        L = own.shape[1]
        q_idx = torch.arange(t).unsqueeze(1) + past_len
        k_idx = torch.arange(L).unsqueeze(0)
        keep = (k_idx <= q_idx).unsqueeze(0).unsqueeze(0) & (own > 0).unsqueeze(1).unsqueeze(2)
        mask = torch.where(keep, zero, neg)
        rep = m.cfg["num_attention_heads"] // m.cfg["num_key_value_heads"]
        if rep > 1:  # rows (query head within its group, position), as Attention stacks them
            mask = mask.repeat(1, 1, rep, 1)
        outs, new = [], []
        for i, layer in enumerate(m.layers):
            x, (k, v, k_new, v_new) = layer(x, cos, sin, mask, past[i][0], past[i][1], (prefix_mask, prefix[i][0], prefix[i][1], P))
            outs += [k, v]
            new += [k_new, v_new]
        x = m.norm(x)
        logits = torch.matmul(x, m.head_weight().t())
        # present.* (past + new, for transformers.js) then new_key_values.* (this call's rows).
        return (logits, *outs, *new)
