"""One lexicon: the number words, degree words and opposites every rule reads (the answerer's checks, the
time words of questions and articles, the LLM check), each listed once."""

from __future__ import annotations

SMALL_NUMBERS = {word: n for n, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
TENS = {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# "one" to "ten": what a count of days or weeks is written with ("two weeks ago", "the past three days")
ONE_TO_TEN = tuple(word for word, n in SMALL_NUMBERS.items() if 1 <= n <= 10)
# Number words as a regular expression, in the order tried (a longer word after the word it starts with
# would never match whole: "seventeen" after "seven" -- kept as the short answers were measured with)
NUMBER_WORDS = "|".join([*(w for w, n in SMALL_NUMBERS.items() if n >= 1), *TENS, "hundred", r"a\s+dozen", "dozens?",
                         "hundreds", "thousands", "millions", "billions"])

DEGREE_GROUPS = (
    {"largest", "biggest", "greatest", "most", "highest", "major"},
    {"smallest", "least", "fewest", "lowest"},
    {"first", "earliest", "oldest", "original"},
    {"last", "latest", "final", "newest", "recent", "youngest"},
    {"longest"}, {"shortest"},
)

# Words that exclude each other: a sentence saying one does not answer a question asking the other.
# Degree words pair only with their opposite ("largest"/"smallest"); "first"/"last" are left out,
# since "the first since 1985" answers "the last before".
CONTRARY_GROUPS: tuple[frozenset[str], ...] = tuple(frozenset(g.split()) for g in (
    "north south east west", "northern southern eastern western", "northward southward eastward westward",
    "northeast southwest", "northwest southeast", "upper lower", "left right", "warm cold", "hot cold",
    "light dark", "increase decrease", "increased decreased", "rise fall", "rose fell", "ancient modern",
    "strong weak", "heavily sparsely", "clean dirty", "open closed", "opened closed", "old new", "large small",
    "high low", "wide narrow", "deep shallow", "fast slow", "early late", "inner outer", "import export",
    "win lose", "won lost", "maximum minimum", "above below", "upstream downstream", "internal external",
    "private public", "merge diverge", "merged diverged", "join separate", "joined separated",
    "same different", "allowed banned", "accepted rejected", "success failure", "majority minority",
))
OPPOSITE_DEGREES: tuple[tuple[frozenset[str], frozenset[str]], ...] = tuple(
    (frozenset(a.split()), frozenset(b.split())) for a, b in (
        ("largest biggest greatest most highest major", "smallest least fewest lowest minor"),
        ("longest", "shortest"), ("larger bigger greater more higher", "smaller less fewer lower"),
        ("longer", "shorter"), ("older", "newer younger"), ("earlier", "later"), ("wider", "narrower"),
        ("warmer", "colder cooler"), ("lighter", "darker heavier"),
    ))

# Verbs of going: the name after one is where someone went ("visited Nanjing", "left for London").
GOING_VERBS = frozenset(r"visit visits visited visiting left\s+for leave\s+for leaving reached reach reaching "
                        r"entered enter attended attend moved\s+to returned\s+to arrived\s+in fled\s+to onto "
                        r"hit struck".split())

# Nouns that name a kind of place: "which city" asks for a place, and "the city of Palmyra" says one.
PLACE_NOUNS = frozenset(
    "city cities country countries state states place places location locations province provinces region regions "
    "town towns village villages continent county counties area nation nations island islands capital venue "
    "stadium street district neighborhood neighbourhood territory border site".split())
