"""One settings object: arguments over environment over defaults; bad values named."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant import Assistant, Settings


def test_defaults_work_on_a_fresh_clone(monkeypatch):
    for name in ("ASSISTANT_ARTICLES_DIR", "ASSISTANT_INDEX_DIR", "ASSISTANT_K"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None)
    assert settings.articles_dir == Path("seeds") and settings.index_dir == Path("index")
    assert settings.host == "127.0.0.1" and settings.port == 7860 and settings.llm_backend == "none"


def test_environment_and_arguments(monkeypatch):
    monkeypatch.setenv("ASSISTANT_ARTICLES_DIR", "/news")
    monkeypatch.setenv("ASSISTANT_K", "7")
    assert Settings().articles_dir == Path("/news") and Settings().k == 7
    assert Assistant(k=3).settings.k == 3  # an argument beats the environment


@pytest.mark.parametrize(("field", "value"), [("k", 0), ("auth", "nopassword"), ("collection", "a"),
                                              ("chunk_tokens", 3), ("llm_backend", "gpt")])
def test_bad_values_are_named(field, value):
    with pytest.raises(ValidationError, match=field):
        Settings(**{field: value})


def test_candidates_must_cover_k():
    with pytest.raises(ValidationError, match="candidates"):
        Settings(k=10, candidates=5)
