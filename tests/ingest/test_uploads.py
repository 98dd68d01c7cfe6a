"""Upload checks: safe names, supported types, size limit, never overwriting silently."""

from __future__ import annotations

import pytest

from assistant.errors import UploadError
from assistant.ingest.uploads import safe_name, store_upload


@pytest.mark.parametrize(("given", "expected"), [
    ("story.md", "story.md"),
    ("../../etc/passwd.txt", "passwd.txt"),
    ("/abs/path/Report.TXT", "Report.txt"),
    ("C:\\Users\\me\\news.html", "news.html"),
    (".hidden.md", "hidden.md"),
    ("a<b>|c.md", "a_b_c.md"),
    ("..", "article"),
])
def test_safe_name(given, expected):
    assert safe_name(given) == expected


def test_store_upload_saves_and_never_overwrites(tmp_path):
    first = store_upload(tmp_path, "story.md", b"# One\n\nText one.", 1000)
    assert first.changed and first.name == "story.md"
    same = store_upload(tmp_path, "story.md", b"# One\n\nText one.", 1000)
    assert not same.changed and "identical" in same.message
    other = store_upload(tmp_path, "story.md", b"# Two\n\nText two.", 1000)
    assert other.name == "story-2.md" and "not overwritten" in other.message
    assert (tmp_path / "story.md").read_bytes() == b"# One\n\nText one."
    assert (tmp_path / "story-2.md").read_bytes() == b"# Two\n\nText two."


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("tool.exe", b"MZ", "not articles"),
    ("big.txt", b"x" * 2000, "over the upload limit"),
    ("empty.md", b"", "empty"),
])
def test_rejected_upload_changes_nothing(tmp_path, name, data, reason):
    with pytest.raises(UploadError, match=reason) as error:
        store_upload(tmp_path, name, data, 1000)
    assert name in str(error.value)
    assert list(tmp_path.iterdir()) == []


def test_an_upload_is_readable_like_the_folder_it_lands_in(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    stored = store_upload(folder, "story.md", b"# Story\n\nText.", 1000)
    assert (folder / stored.name).stat().st_mode & 0o777 == 0o644


def test_a_copy_under_another_name_is_refused_with_the_original_named(tmp_path):
    (tmp_path / "world").mkdir()
    (tmp_path / "world" / "palmyra.md").write_bytes(b"# Palmyra\n\nThe attack was confirmed.")
    with pytest.raises(UploadError, match=r"copy\.md: the same article is already in the folder as world/palmyra\.md"):
        store_upload(tmp_path, "copy.md", b"# Palmyra\n\nThe attack was confirmed.", 1000)
    assert not (tmp_path / "copy.md").exists()
    assert store_upload(tmp_path, "other.md", b"# Palmyra\n\nThe attack was denied.", 1000).changed


def test_a_broken_article_is_refused_before_anything_is_saved(tmp_path):
    for name, data, reason in (("bad.json", b"{not json", "not valid JSON"),
                               ("bad-binary.txt", bytes(range(256)) * 8, "binary")):
        with pytest.raises(UploadError, match=reason) as refused:
            store_upload(tmp_path, name, data, 10**6)
        assert name in str(refused.value) and "not saved" in str(refused.value)
    assert list(tmp_path.iterdir()) == []  # nothing was written, so nothing returns in later reports


def test_a_second_identical_upload_says_nothing_was_saved(tmp_path):
    store_upload(tmp_path, "a.md", b"# A\n\nThe harbour reopened.", 10**6)
    again = store_upload(tmp_path, "a.md", b"# A\n\nThe harbour reopened.", 10**6)
    assert not again.changed and "nothing was saved" in again.message
