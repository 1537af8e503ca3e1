"""The learned part: a logistic regression over hashed word and letter n-grams.

Features: the text is folded (Unicode compatibility forms, case, apostrophes dropped, a
letter repeated three or more times cut to two), then every word 1-, 2- and 3-gram and
every 2- to 5-letter piece of each space-padded word is hashed with ``zlib.crc32`` (stable
across runs and machines, unlike ``hash()``) into ``2**BITS`` buckets. A bucket's value
is ``1 + log(count)``; the vector is scaled to unit length. Then the word 1- and 2-grams
of the normalized text (``normalize.py``: masks undone, chat spellings and emoji as words)
are added at ``NORMALIZED_WEIGHT`` and the whole is scaled to unit length again. The
score is the logistic of the bias plus the weights of the buckets present.

Nothing here needs numpy or scikit-learn: the weights ship in ``linear_weights.bin``
(written by ``python -m bot.crisis_train``, which does need scikit-learn, the ``train``
extra). Its contribution is measured separately in docs/SAFETY.md.
"""

from __future__ import annotations

import hashlib
import math
import re
import struct
import unicodedata
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from bot.domain.crisis.normalize import CLAUSE, normalize

WEIGHTS_FILE = "linear_weights.bin"
# How the score combines with the rules, chosen by leave-one-writer-out evaluation
# (docs/SAFETY.md). A rule match stands unless the model finds it unlikely (an urgent
# lexicon rule: very unlikely). With no rule match the model alone needs a high score and
# at least MIN_WORDS words (on a two-word message it guesses: "will do" reads like a
# fragment of "i will do it"); a higher one when a scope rule explained a match away or
# the message has a denial, past, teaching or other-subject frame or an idiom; through an
# explicit denial ("i'm not suicidal") only on what follows it (TAKEN_BACK). ALONE and
# THROUGH_SCOPE were 0.7 and 0.9 until the sixth round (twenty-nine writers pooled:
# recall 0.941 -> 0.945, false alarms 2.6% -> 2.8%, idioms 1.0% -> 1.2%, plans 0.854 ->
# 0.866).
KEEP_RULE_HIT = 0.2
KEEP_URGENT_RULE_HIT = 0.05
ALONE = 0.65
THROUGH_SCOPE = 0.85
MIN_WORDS = 3
# After an explicit denial the model reads only what the writer goes on to say ("not
# suicidal | just wish i could stop existing") and needs TAKEN_BACK there (None: a denial
# silences the model for the whole message).
TAKEN_BACK: float | None = 0.9
# A message in which an everyday saying was found (idioms.py: "this line is killing me")
# counts as framed: the model alone then needs THROUGH_SCOPE. The score it needs it on is
# the lower of the whole message's and that of the message without the saying (the saying's
# own words, "stab", "jump", "shot", say nothing; chosen over the saying-free text alone on
# pooled leave-one-writer-out, docs/SAFETY.md).
IDIOM_VETO = True
# A short message (fewer than SHORT_WORDS words) needs SHORT from the model alone: group
# chat is full of "on my way", "bye guys see u tmrw", "peace out", which a bag of n-grams
# reads like the goodbyes of crisis messages (0.9 with twelve writers, 0.95 with fourteen:
# docs/SAFETY.md). With SHORT_ANY the guard applies only when no cue pattern (cues.py)
# appears in the message at all.
SHORT_WORDS = 7
SHORT = 0.95
SHORT_ANY = True
# With the model alone firing: urgent when the urgency model says so and (with
# URGENT_NEEDS_CUE) an urgent cue family appears in the message; otherwise concern.
URGENT = 0.5
URGENT_NEEDS_CUE = False
# Plans and goodbyes are written in ordinary words the model scores below ALONE. With no rule
# match and no scope frame, a score of at least PLAN_CUE together with a goodbye /
# preparatory-act cue (cues.py, family ``plan_preparation``) raises a concern (never a page).
# None: off.
PLAN_CUE: float | None = None
# Weight of the canonical-word n-grams against the unit-length raw features (chosen by
# pooled leave-one-writer-out, docs/SAFETY.md).
NORMALIZED_WEIGHT = 0.3
BITS = 20
MASK = (1 << BITS) - 1
_MAGIC = b"IOPLR1\n"
# Per model: bias, number of entries, sha-256 of its training rows (``data_digest``).
_HEADER = struct.Struct("<dI32s")
_ENTRY = struct.Struct("<If")  # bucket, weight

_APOSTROPHES = re.compile(r"['\u2019\u2018`\u00b4]")
_REPEATS = re.compile(r"(.)\1{2,}")
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """The text the features are read from."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _APOSTROPHES.sub("", text)
    return _REPEATS.sub(r"\1\1", text)


def _bucket(kind: str, gram: str) -> int:
    return zlib.crc32(f"{kind}{gram}".encode()) & MASK


def _unit(values: dict[int, float]) -> dict[int, float]:
    norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
    return {key: v / norm for key, v in values.items()}


@lru_cache(maxsize=64)
def features(text: str) -> Mapping[int, float]:
    """Bucket -> value, the unit-length vector the weights apply to. Cached (both models
    read the same message); the mapping is shared, so never change it."""
    folded = fold(text)
    counts: dict[int, int] = {}
    words = _WORD.findall(folded)
    for n in (1, 2, 3):
        for i in range(len(words) - n + 1):
            key = _bucket("w", " ".join(words[i : i + n]))
            counts[key] = counts.get(key, 0) + 1
    for token in folded.split():
        padded = f" {token} "
        size = len(padded)
        for n in (2, 3, 4, 5):
            for i in range(size - n + 1):
                key = _bucket("c", padded[i : i + n])
                counts[key] = counts.get(key, 0) + 1
            if n >= size:
                break
    values = _unit({key: 1.0 + math.log(count) for key, count in counts.items()})
    # The same message in canonical words (normalize.py: "k*ll" = "kill", "wanna" =
    # "want to", emoji as words), word 1- and 2-grams at NORMALIZED_WEIGHT.
    canonical = normalize(text).replace(CLAUSE, " ").replace(",", " ").split()
    extra: dict[int, int] = {}
    for n in (1, 2):
        for i in range(len(canonical) - n + 1):
            key = _bucket("n", " ".join(canonical[i : i + n]))
            extra[key] = extra.get(key, 0) + 1
    for key, count in extra.items():
        values[key] = values.get(key, 0.0) + (1.0 + math.log(count)) * NORMALIZED_WEIGHT
    return _unit(values)


@dataclass(frozen=True, slots=True)
class LinearModel:
    bias: float
    weights: dict[int, float]
    data_sha256: str

    def logit(self, text: str) -> float:
        get = self.weights.get
        return self.bias + sum(get(key, 0.0) * v for key, v in features(text).items())

    def probability(self, text: str) -> float:
        z = self.logit(text)
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


@dataclass(frozen=True, slots=True)
class Models:
    """What the weights file holds: crisis vs safe, and urgent vs concern (crisis only)."""

    crisis: LinearModel
    urgent: LinearModel


def to_bytes(models: Models) -> bytes:
    out = [_MAGIC]
    for model in (models.crisis, models.urgent):
        entries = sorted(model.weights.items())
        out.append(_HEADER.pack(model.bias, len(entries), bytes.fromhex(model.data_sha256)))
        out += [_ENTRY.pack(key, weight) for key, weight in entries]
    return b"".join(out)


def from_bytes(data: bytes) -> Models:
    if not data.startswith(_MAGIC):
        raise ValueError("not a crisis model file")
    offset = len(_MAGIC)
    found: list[LinearModel] = []
    for _ in range(2):
        if len(data) < offset + _HEADER.size:
            raise ValueError("crisis model file is truncated")
        bias, count, digest = _HEADER.unpack_from(data, offset)
        offset += _HEADER.size
        end = offset + count * _ENTRY.size
        if len(data) < end:
            raise ValueError("crisis model file is truncated")
        weights = dict(_ENTRY.iter_unpack(data[offset:end]))
        found.append(LinearModel(bias, weights, digest.hex()))
        offset = end
    if offset != len(data):
        raise ValueError("crisis model file has trailing bytes")
    return Models(found[0], found[1])


def data_digest(rows: list[tuple[str, bool]]) -> str:
    """SHA-256 of the training rows, in order, as the training script reads them."""
    h = hashlib.sha256()
    for text, crisis in rows:
        h.update(f"{int(crisis)}\t{text}\n".encode())
    return h.hexdigest()


def load() -> Models | None:
    """The shipped model, or None when the weights file is absent."""
    path = resources.files("bot.domain.crisis").joinpath(WEIGHTS_FILE)
    if not path.is_file():
        return None
    return from_bytes(path.read_bytes())
