"""One settings object: arguments over environment over defaults; bad values named."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant import Assistant, Settings
from assistant.errors import UnknownSettingError
from assistant.faces.cli.main import main


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


@pytest.mark.parametrize("make", [Settings, Assistant])
def test_a_misspelt_keyword_is_refused_with_the_closest_field(make):
    with pytest.raises(UnknownSettingError, match=r"unknown setting 'artciles_dir'; did you mean 'articles_dir'\?"):
        make(artciles_dir="x")


def test_an_unknown_setting_is_a_value_error_the_cli_reports():
    assert issubclass(UnknownSettingError, ValueError)  # cli.main prints ValueErrors as "error: ..."


def test_a_misspelt_key_in_the_env_file_is_refused(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("ASSISTANT_K=4\nASSISTANT_ARTCILES_DIR=news\n", encoding="utf-8")
    with pytest.raises(UnknownSettingError, match=r"ASSISTANT_ARTCILES_DIR.*did you mean ASSISTANT_ARTICLES_DIR"):
        Settings(_env_file=env_file)


def test_other_tools_keys_in_the_env_file_are_left_alone(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("ASSISTANT_K=4\nOPENAI_API_KEY=sk-test\nCOMPOSE_PROJECT_NAME=news\n", encoding="utf-8")
    assert Settings(_env_file=env_file).k == 4


def test_the_cli_reports_a_misspelt_env_file_key(tmp_path, monkeypatch, capsys):
    (tmp_path / ".env").write_text("ASSISTANT_INDX_DIR=elsewhere\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["status"]) == 2
    assert "did you mean ASSISTANT_INDEX_DIR" in capsys.readouterr().err


def test_an_unknown_environment_variable_is_a_warning(monkeypatch):
    monkeypatch.setenv("ASSISTANT_ARTCILES_DIR", "/news")
    with pytest.warns(UserWarning, match=r"ASSISTANT_ARTCILES_DIR .*did you mean ASSISTANT_ARTICLES_DIR"):
        settings = Settings(_env_file=None)
    assert settings.articles_dir == Path("seeds")


def test_variables_read_outside_settings_do_not_warn(monkeypatch):
    monkeypatch.setenv("ASSISTANT_LLM_API_KEY", "sk-test")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Settings(_env_file=None)


def test_auth_lists_one_login_or_several():
    from assistant.settings import logins

    assert logins(None) == [] and logins("ann:se:cret") == [("ann", "se:cret")]
    assert logins("ann:pw1, bob:pw2") == [("ann", "pw1"), ("bob", "pw2")]
    with pytest.raises(ValidationError, match="auth 'ann:pw1,bob'"):
        Settings(auth="ann:pw1,bob")
