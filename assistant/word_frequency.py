"""How common a word is (wordfreq's Zipf scale: 7 for "the", ~3 for "Palmyra", 0 when unknown).

Importing wordfreq (with ftfy and langcodes) and building its English table took ~0.4 s of every
cold ``assistant ask``. Plain lower-case English words are looked up in wordfreq's own English list,
read here directly (~0.1 s); any other word or language goes through wordfreq itself.
"""

from __future__ import annotations

import gzip
import math
import re
from functools import cache, lru_cache
from importlib.util import find_spec
from pathlib import Path

PLAIN = re.compile(r"[a-z]+")  # wordfreq's tokenizer leaves such a word as it is
LEAST = 1e-9  # wordfreq's frequency floor for zipf_frequency(..., minimum=0): Zipf 0


@cache
def _english_bands() -> dict[str, int]:
    """Word -> its band in wordfreq's English list ("cBpack": band i holds words of frequency 10^(-i/100))."""
    import msgpack

    spec = find_spec("wordfreq")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("wordfreq is not installed")
    packed = Path(spec.origin).parent / "data" / "large_en.msgpack.gz"
    header, *bands = msgpack.unpackb(gzip.decompress(packed.read_bytes()), raw=False)
    if header != {"format": "cB", "version": 1}:
        raise ValueError(f"{packed}: not a wordfreq cBpack of version 1 ({header!r})")
    table: dict[str, int] = {}
    for band, words in enumerate(bands):
        table.update(dict.fromkeys(words, band))
    return table


def _zipf_of_band(band: int | None) -> float:
    """As wordfreq computes it: the frequency rounded to 3 significant digits, then to Zipf."""
    frequency = max(10 ** (-band / 100), LEAST) if band is not None else LEAST
    rounded = round(frequency, math.floor(-math.log(frequency, 10)) + 3)
    return round(math.log(rounded, 10) + 9, 2)


@lru_cache(maxsize=65_536)
def zipf(word: str, language: str = "en") -> float:
    """``wordfreq.zipf_frequency(word, language)``, without wordfreq for plain English words."""
    if language == "en" and PLAIN.fullmatch(word):
        return _zipf_of_band(_english_bands().get(word))
    from wordfreq import zipf_frequency

    return zipf_frequency(word, language)
