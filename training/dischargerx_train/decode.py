"""Candidate-constrained greedy decoding (PyTorch, KV cache) and CHIP-style set metrics."""
import torch

from .prompt import build_prompts


class CandidateTrie:
    def __init__(self, names, tok):
        self.root = {}
        self.names = []
        for n in names:
            ids = tok.encode(n, add_bos=False)
            if not ids:
                continue
            node = self.root
            for t in ids:
                node = node.setdefault(t, {})
            node[None] = n
            self.names.append(n)
        self._subtree = {}
        self._collect(self.root)

    def _collect(self, node):
        s = set()
        for k, v in node.items():
            if k is None:
                s.add(v)
            else:
                s |= self._collect(v)
        self._subtree[id(node)] = s
        return s

    def alive(self, node, emitted):
        return bool(self._subtree[id(node)] - emitted)


@torch.no_grad()
def constrained_greedy(model, tok, prompt_ids, trie, max_drugs=30, max_steps=400):
    dev = next(model.parameters()).device
    ids = torch.tensor([prompt_ids], dtype=torch.long, device=dev)
    logits, past = model(ids)
    pos = len(prompt_ids)
    emitted, out = set(), []
    node = trie.root
    for _ in range(max_steps):
        allowed = [t for t, child in node.items() if t is not None and trie.alive(child, emitted)]
        name_here = node.get(None)
        if name_here is not None and name_here not in emitted:
            allowed += [tok.sep_id, tok.eos_id]
        if node is trie.root:
            allowed.append(tok.eos_id)
        if not allowed or (node is trie.root and len(out) >= max_drugs):
            break
        row = logits[0, -1]
        allowed_t = torch.tensor(allowed, dtype=torch.long, device=dev)
        nxt = int(allowed_t[int(torch.argmax(row[allowed_t]))])
        if nxt in (tok.sep_id, tok.eos_id) and node is not trie.root:
            out.append(node[None])
            emitted.add(node[None])
            node = trie.root
        elif nxt != tok.eos_id:
            node = node[nxt]
        if nxt == tok.eos_id:
            break
        step = torch.tensor([[nxt]], dtype=torch.long, device=dev)
        pos_ids = torch.tensor([[pos]], dtype=torch.long, device=dev)
        mask = torch.ones((1, pos + 1), dtype=torch.long, device=dev)
        logits, past = model(step, attention_mask=mask, position_ids=pos_ids, past=past)
        pos += 1
    return out


def set_metrics(preds, golds):
    """Mean per-visit Jaccard, precision, recall, F1; score = (Jaccard + F1) / 2."""
    n = max(1, len(golds))
    J = P = R = F = 0.0
    for p, g in zip(preds, golds):
        p, g = set(p), set(g)
        inter = len(p & g)
        union = len(p | g)
        J += 1.0 if union == 0 else inter / union
        prec = (1.0 if not g else 0.0) if not p else inter / len(p)
        rec = 1.0 if not g else inter / len(g)
        P += prec
        R += rec
        F += 0.0 if prec + rec == 0 else 2 * prec * rec / (prec + rec)
    J, P, R, F = J / n, P / n, R / n, F / n
    return {"jaccard": J, "precision": P, "recall": R, "f1": F, "score": (J + F) / 2}


def evaluate(model, tok, records_or_examples, trie, gold=None):
    model.eval()
    preds = []
    items = list(records_or_examples)
    raw = [ex for ex in items if not hasattr(ex, "prompt_len")]
    built = iter(build_prompts(raw))
    for ex in items:
        prompt_ids = ex.ids[: ex.prompt_len] if hasattr(ex, "prompt_len") else tok.encode(next(built))
        preds.append(constrained_greedy(model, tok, prompt_ids, trie))
    golds = gold if gold is not None else [ex.labels for ex in records_or_examples]
    return set_metrics(preds, golds), preds
