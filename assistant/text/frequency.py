"""How common a word is (wordfreq's Zipf scale: 7 for "the", ~3 for "Palmyra", 0 when unknown).

Importing wordfreq (with ftfy and langcodes) and building its English table took ~0.4 s of every
cold ``assistant ask``; reading wordfreq's English list into a dict still took ~0.2 s. Plain
lower-case English words are therefore looked up in a SQLite copy of that list, made once per user
in the user's cache (about a second) and read a word at a time afterwards: a question reads tens of
words, ~5 ms cold. When the cache cannot be written or read, the list is read into memory instead.
Any other word or language goes through wordfreq itself.
"""

from __future__ import annotations

import gzip
import math
import re
import sqlite3
import threading
import zlib
from collections.abc import Callable
from contextlib import closing
from functools import cache, lru_cache
from importlib.util import find_spec
from pathlib import Path

from ..errors import BadValueError
from ..settings import user_cache_dir
from ..store.atomic import write_atomically

PLAIN = re.compile(r"[a-z]+")  # wordfreq's tokenizer leaves such a word as it is
LEAST = 1e-9  # wordfreq's frequency floor for zipf_frequency(..., minimum=0): Zipf 0
TABLE_VERSION = 1  # of the cached copy's layout


def _english_list() -> Path:
    spec = find_spec("wordfreq")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("wordfreq is not installed")
    return Path(spec.origin).parent / "data" / "large_en.msgpack.gz"


def _english_bands(packed: Path | None = None) -> dict[str, int]:
    """Word -> its band in wordfreq's English list ("cBpack": band i holds words of frequency 10^(-i/100))."""
    import msgpack

    packed = packed or _english_list()
    header, *bands = msgpack.unpackb(gzip.decompress(packed.read_bytes()), raw=False)
    if header != {"format": "cB", "version": 1}:
        raise BadValueError(f"{packed}: not a wordfreq cBpack of version 1 ({header!r})")
    table: dict[str, int] = {}
    for band, words in enumerate(bands):
        table.update(dict.fromkeys(words, band))
    return table


def cached_table_path(packed: Path) -> Path:
    """The cached copy's name says which list it copies (a checksum of its bytes, ~1 ms): an upgrade makes a
    new copy, and a reinstall of the same list (every fresh environment) finds the old one."""
    checksum = zlib.crc32(packed.read_bytes())
    return user_cache_dir() / "news-assistant" / "wordfreq" / f"large_en-v{TABLE_VERSION}-{checksum:08x}.sqlite"


def _write_table(path: Path, bands: dict[str, int]) -> None:
    """Made in memory, then written whole: a reader never sees half a table, two writers never clash."""
    with closing(sqlite3.connect(":memory:")) as connection:
        connection.execute("CREATE TABLE words (word TEXT PRIMARY KEY, band INTEGER NOT NULL) WITHOUT ROWID")
        connection.executemany("INSERT INTO words VALUES (?, ?)", bands.items())
        connection.commit()
        write_atomically(path, connection.serialize())


def _reader(path: Path) -> Callable[[str], int | None]:
    """Bands read from the cached copy; one connection, shared by threads under a lock."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
    lock = threading.Lock()

    def band(word: str) -> int | None:
        with lock:
            row = connection.execute("SELECT band FROM words WHERE word = ?", (word,)).fetchone()
        return row[0] if row else None

    try:
        if band("the") is None:  # every copy holds "the": an empty or foreign file is no copy
            raise sqlite3.DatabaseError(f"{path}: not a copy of wordfreq's English list")
    except sqlite3.Error:
        connection.close()
        raise
    return band


@cache
def _english_lookup() -> Callable[[str], int | None]:
    """The cached copy, made when missing or unreadable; the list in memory when no copy can be made."""
    packed = _english_list()
    path = cached_table_path(packed)
    for attempt in range(2):
        try:
            if attempt or not path.exists():
                _write_table(path, _english_bands(packed))
            return _reader(path)
        except (OSError, sqlite3.Error):
            continue
    return _english_bands(packed).get


def _zipf_of_band(band: int | None) -> float:
    """As wordfreq computes it: the frequency rounded to 3 significant digits, then to Zipf."""
    frequency = max(10 ** (-band / 100), LEAST) if band is not None else LEAST
    rounded = round(frequency, math.floor(-math.log(frequency, 10)) + 3)
    return round(math.log(rounded, 10) + 9, 2)


@lru_cache(maxsize=65_536)
def zipf(word: str, language: str = "en") -> float:
    """``wordfreq.zipf_frequency(word, language)``, without wordfreq for plain English words."""
    if language == "en" and PLAIN.fullmatch(word):
        return _zipf_of_band(_english_lookup()(word))
    from wordfreq import zipf_frequency

    return zipf_frequency(word, language)
