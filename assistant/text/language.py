"""Which language a question is in, when it is clearly not English: the bundled embedding model reads
English only, so a question in Spanish finds little and abstains, and the user should be told why."""

from __future__ import annotations

from .frequency import zipf
from .terms import WORD

OTHER_LANGUAGES = ("es", "fr", "de", "it", "pt", "nl")
NAMES = {"es": "Spanish", "fr": "French", "de": "German", "it": "Italian", "pt": "Portuguese", "nl": "Dutch"}


def foreign_language(text: str) -> str | None:
    """The language's name when at least half the text's words (and two or more) are far more common in
    another language than in English (wordfreq), else None. Names are left out ("Palmyra" is in every
    language), except the first word, which is capitalised as any first word is."""
    found = WORD.findall(text)
    words = [w.lower() for i, w in enumerate(found) if len(w) > 2 and (w.islower() or i == 0)]
    english_of = {w: zipf(w, "en") for w in words}
    if sum(english_of[w] < 3.0 for w in words) < 2:
        return None  # English enough: the other languages' word lists (~30 MB each) are not even loaded
    margins: dict[str, float] = {}
    foreign = 0
    for word in words:
        english = english_of[word]
        language, frequency = max(((lang, zipf(word, lang)) for lang in OTHER_LANGUAGES),
                                  key=lambda pair: pair[1])
        if frequency >= english + 1.0:
            foreign += 1
            margins[language] = margins.get(language, 0.0) + frequency - english
    if foreign < 2 or foreign < 0.5 * len(words):
        return None
    return NAMES[max(margins, key=margins.__getitem__)]
