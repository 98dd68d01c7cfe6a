"""The English word table read from wordfreq's own list gives wordfreq's numbers, without importing it."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from wordfreq import zipf_frequency

from assistant.text.frequency import _english_bands, _english_list, _english_lookup, cached_table_path, zipf


def test_plain_english_words_score_exactly_as_wordfreq_scores_them():
    table = list(_english_bands())
    words = [*table[::97], "the", "palmyra", "okonkwo", "zzzqxv"]  # every 97th listed word, and unknown ones
    assert [zipf(w) for w in words] == [zipf_frequency(w, "en") for w in words]
    assert zipf("the") > 7 > zipf("palmyra") > 0 == zipf("zzzqxv")


@pytest.mark.parametrize(("word", "language"), [("2016", "en"), ("don't", "en"), ("beyoncé", "en"), ("casa", "es")])
def test_other_words_and_languages_go_through_wordfreq(word, language):
    assert zipf(word, language) == zipf_frequency(word, language)


def test_a_plain_word_does_not_import_wordfreq():
    probe = "import sys; from assistant.text.frequency import zipf; zipf('harbour'); print('wordfreq' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "False"


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    """A user cache of the test's own: the English list is looked up afresh from it, then as before."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    _english_lookup.cache_clear()
    zipf.cache_clear()
    yield tmp_path
    _english_lookup.cache_clear()
    zipf.cache_clear()


def test_the_english_list_is_copied_once_into_the_user_cache_and_read_from_there(own_cache):
    assert (zipf("harbour"), zipf("zzzqxv")) == (zipf_frequency("harbour", "en"), 0.0)
    copy = cached_table_path(_english_list())
    assert copy.is_relative_to(own_cache) and copy.stat().st_size > 1_000_000
    made = copy.stat().st_mtime_ns
    _english_lookup.cache_clear()
    zipf.cache_clear()
    assert zipf("river") == zipf_frequency("river", "en")
    assert copy.stat().st_mtime_ns == made  # read, not made again


def test_a_damaged_copy_is_made_again(own_cache):
    copy = cached_table_path(_english_list())
    copy.parent.mkdir(parents=True)
    copy.write_bytes(b"not a database" * 100)
    assert zipf("palmyra") == zipf_frequency("palmyra", "en")
    with sqlite3.connect(copy) as connection:
        assert connection.execute("SELECT band FROM words WHERE word = 'the'").fetchone() is not None


def test_without_a_writable_cache_the_list_is_read_into_memory(own_cache):
    (own_cache / "news-assistant").write_text("a file where the folder would go")
    words = ("the", "palmyra", "zzzqxv")
    assert [zipf(w) for w in words] == [zipf_frequency(w, "en") for w in words]
    assert not any(own_cache.rglob("*.sqlite"))
