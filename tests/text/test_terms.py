"""How words are read: stems, and derived words that share one."""

from __future__ import annotations

from assistant.text.terms import shares_stem, stem_variants, terms


def test_derived_words_snowball_leaves_apart_share_their_stem() -> None:
    [retaliation], [retaliatory] = terms("retaliation"), terms("retaliatory")
    assert retaliation != retaliatory and shares_stem(retaliation, retaliatory)
    assert not shares_stem("court", "courtesi")  # under six letters: too short to tell
    assert stem_variants([retaliation, "vow"], {retaliatory, "vow", "trump"}) == {retaliation: frozenset({retaliatory})}
