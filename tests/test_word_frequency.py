"""The English word table read from wordfreq's own list gives wordfreq's numbers, without importing it."""

from __future__ import annotations

import subprocess
import sys

import pytest
from wordfreq import zipf_frequency

from assistant.word_frequency import _english_bands, zipf


def test_plain_english_words_score_exactly_as_wordfreq_scores_them():
    table = list(_english_bands())
    words = [*table[::97], "the", "palmyra", "okonkwo", "zzzqxv"]  # every 97th listed word, and unknown ones
    assert [zipf(w) for w in words] == [zipf_frequency(w, "en") for w in words]
    assert zipf("the") > 7 > zipf("palmyra") > 0 == zipf("zzzqxv")


@pytest.mark.parametrize(("word", "language"), [("2016", "en"), ("don't", "en"), ("beyoncé", "en"), ("casa", "es")])
def test_other_words_and_languages_go_through_wordfreq(word, language):
    assert zipf(word, language) == zipf_frequency(word, language)


def test_a_plain_word_does_not_import_wordfreq():
    probe = "import sys; from assistant.word_frequency import zipf; zipf('harbour'); print('wordfreq' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "False"
