"""Character-level tokenizer saved in the Hugging Face tokenizer.json format.

transformers.js v4 (@huggingface/tokenizers) has no WordLevel model, so the file uses a
WordPiece model whose vocab is single characters, a Split pre-tokenizer that isolates every
code point, no normalizer, a TemplateProcessing post-processor that prepends <s>, and a Fuse
decoder. `CharTokenizer.encode` reproduces that pipeline exactly in Python (including the
added-token splitting of the special strings), which the parity fixture checks from Node.
"""
import collections
import json
import os

from .prompt import load_spec

ASCII_PRINTABLE = [chr(c) for c in range(0x20, 0x7F)]


class CharTokenizer:
    def __init__(self, vocab, special):
        # vocab: list of token strings, index == id. special: dict role -> token string.
        self.vocab = list(vocab)
        self.special = dict(special)
        self.tok2id = {t: i for i, t in enumerate(self.vocab)}
        self.pad_id = self.tok2id[special["pad"]]
        self.unk_id = self.tok2id[special["unk"]]
        self.bos_id = self.tok2id[special["bos"]]
        self.eos_id = self.tok2id[special["eos"]]
        self.sep_id = self.tok2id[special["sep"]]
        self.special_tokens = [special[k] for k in ("pad", "unk", "bos", "eos", "sep")]
        # Trie of special strings, same longest-match scan as DictionarySplitter.
        self._trie = {}
        for tok in self.special_tokens:
            node = self._trie
            for ch in tok:  # DictionarySplitter walks UTF-16 units; special tokens are ASCII
                node = node.setdefault(ch, {})
            node["\0end"] = tok

    def __len__(self):
        return len(self.vocab)

    # --- construction -------------------------------------------------------------------
    @classmethod
    def build(cls, texts, candidates, min_count=2, spec=None):
        spec = spec or load_spec()
        st = spec["specialTokens"]
        special = {k: st[k] for k in ("pad", "unk", "bos", "eos", "sep")}
        counts = collections.Counter()
        for t in texts:
            counts.update(t)
        chars = {c for c, n in counts.items() if n >= min_count}
        forced = set(ASCII_PRINTABLE) | {spec["lineSeparator"]}
        for name in candidates:
            forced.update(name)
        # every fixed string of the prompt template
        for s in _spec_strings(spec):
            forced.update(s)
        chars |= forced
        chars -= set(special.values())
        vocab = [special[k] for k in ("pad", "unk", "bos", "eos", "sep")] + sorted(chars)
        return cls(vocab, special)

    # --- encoding -----------------------------------------------------------------------
    def _split_special(self, text):
        out = []
        n = len(text)
        start = i = 0
        while i < n:
            node = self._trie
            match = None
            j = i
            while j < n and text[j] in node:
                node = node[text[j]]
                if "\0end" in node:
                    match = node["\0end"]
                j += 1
            if match:
                if i > start:
                    out.append(text[start:i])
                out.append(match)
                i += len(match)
                start = i
            else:
                i += 1
        if start < n:
            out.append(text[start:])
        return out

    def encode(self, text, add_bos=True):
        ids = [self.bos_id] if add_bos else []
        special = set(self.special_tokens)
        for sec in self._split_special(text):
            if sec in special:
                ids.append(self.tok2id[sec])
                continue
            for ch in sec:
                ids.append(self.tok2id.get(ch, self.unk_id))
        return ids

    def decode(self, ids, skip_special=True):
        out = []
        for i in ids:
            t = self.vocab[i] if 0 <= i < len(self.vocab) else self.special["unk"]
            if skip_special and t in self.special_tokens:
                continue
            out.append(t)
        return "".join(out)

    # --- files --------------------------------------------------------------------------
    def to_tokenizer_json(self):
        added = [
            {"id": self.tok2id[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True}
            for t in self.special_tokens
        ]
        bos = self.special["bos"]
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": added,
            "normalizer": None,
            "pre_tokenizer": {"type": "Split", "pattern": {"Regex": "[\\s\\S]"}, "behavior": "Isolated", "invert": False},
            "post_processor": {
                "type": "TemplateProcessing",
                "single": [{"SpecialToken": {"id": bos, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                "pair": [{"SpecialToken": {"id": bos, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                         {"Sequence": {"id": "B", "type_id": 1}}],
                "special_tokens": {bos: {"id": bos, "ids": [self.bos_id], "tokens": [bos]}},
            },
            "decoder": {"type": "Fuse"},
            "model": {
                "type": "WordPiece",
                "unk_token": self.special["unk"],
                "continuing_subword_prefix": "##",
                "max_input_chars_per_word": 100,
                "vocab": {t: i for i, t in enumerate(self.vocab)},
            },
        }

    def tokenizer_config(self, model_max_length):
        s = self.special
        return {
            "tokenizer_class": "PreTrainedTokenizerFast",
            "bos_token": s["bos"],
            "eos_token": s["eos"],
            "unk_token": s["unk"],
            "pad_token": s["pad"],
            "sep_token": s["sep"],
            "add_bos_token": True,
            "add_eos_token": False,
            "clean_up_tokenization_spaces": False,
            "padding_side": "left",
            "model_max_length": model_max_length,
            "added_tokens_decoder": {
                str(self.tok2id[t]): {"content": t, "lstrip": False, "normalized": False, "rstrip": False,
                                      "single_word": False, "special": True}
                for t in self.special_tokens
            },
        }

    def save(self, folder, model_max_length=2048):
        os.makedirs(folder, exist_ok=True)
        _dump(os.path.join(folder, "tokenizer.json"), self.to_tokenizer_json())
        _dump(os.path.join(folder, "tokenizer_config.json"), self.tokenizer_config(model_max_length))
        s = self.special
        _dump(os.path.join(folder, "special_tokens_map.json"),
              {"bos_token": s["bos"], "eos_token": s["eos"], "unk_token": s["unk"], "pad_token": s["pad"],
               "sep_token": s["sep"]})

    @classmethod
    def load(cls, folder):
        with open(os.path.join(folder, "tokenizer.json"), encoding="utf-8") as f:
            tj = json.load(f)
        with open(os.path.join(folder, "tokenizer_config.json"), encoding="utf-8") as f:
            tc = json.load(f)
        vocab_map = tj["model"]["vocab"]
        vocab = [None] * len(vocab_map)
        for t, i in vocab_map.items():
            vocab[i] = t
        special = {"pad": tc["pad_token"], "unk": tc["unk_token"], "bos": tc["bos_token"],
                   "eos": tc["eos_token"], "sep": tc["sep_token"]}
        return cls(vocab, special)


def _spec_strings(spec):
    d = spec["demographics"]
    out = [spec["answerCue"], spec["diagnosis"]["label"], spec["diagnosis"]["joiner"],
           spec["priorityDigits"], "".join(spec["sentenceDelimiters"])]
    out += [d[k] for k in ("label", "male", "female", "sexUnknown", "agePrefix", "ageSuffix", "ageUnknown",
                           "bmiPrefix", "bmiUnknown", "joiner")]
    out += [f["label"] for f in spec["textFields"]]
    out += spec["priorityKeywords"]
    return out


def _dump(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write("\n")
