"""The articles folder is a boundary: symbolic links are never followed, so nothing outside it is read."""

from __future__ import annotations

import os

from assistant.ingest.load import Link, article_entries, load_articles, unreadable_files


def test_links_in_the_articles_folder_are_reported_and_never_followed(tmp_path):
    folder, outside = tmp_path / "articles", tmp_path / "outside"
    (folder / "sub").mkdir(parents=True)
    outside.mkdir()
    (folder / "real.md").write_text("# Fire\n\nCrews contained the fire on Monday.\n")
    (folder / "sub" / "inner.md").write_text("# Flood\n\nThe river rose overnight.\n")
    (outside / "secret.txt").write_text("root:x:0:0:root:/root:/bin/bash\n")
    os.symlink("/etc/passwd", folder / "passwd.txt")
    os.symlink("/etc", folder / "etc")
    os.symlink(outside, folder / "linked")
    os.symlink(outside / "secret.txt", folder / "secret.md")  # the link's own name has a readable extension
    os.symlink(folder / "real.md", folder / "again.md")  # inside, but its target is read under its own name
    os.symlink(".", folder / "loop")

    articles, problems = load_articles(folder, max_bytes=1_000_000)

    assert sorted(a.id for a in articles) == ["real.md", "sub/inner.md"]
    links = sorted(p.path for p in problems if isinstance(p, Link))
    assert links == ["again.md", "etc", "linked", "loop", "passwd.txt", "secret.md"]
    assert all("not followed" in p.reason and p.path in p.reason for p in problems if isinstance(p, Link))
    assert len(problems) == len(links)  # one line each: the loop is not walked
    assert not any("root:x" in a.text for a in articles)
    assert unreadable_files(problems) == set()  # what a link once brought in is removed, not kept


def test_a_folder_of_links_lists_only_its_own_files(tmp_path):
    (tmp_path / "a.txt").write_text("Crews contained the fire.\n")
    os.symlink(tmp_path, tmp_path / "self")
    assert [name for name, _, _ in article_entries(tmp_path)] == ["a.txt"]
