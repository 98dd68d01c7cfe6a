"""Keyword index: BM25 (tantivy) over the same chunks as the vector store, updated article by article.

An update deletes the chunks of changed and removed articles and adds the new ones, then commits once:
adding one article to 100k passages touches only its passages. A commit is atomic, so a crash leaves
the last committed index; ``stamp.json``, written after the commit, says which state of the store it
matches, and a mismatch means it is rebuilt from the store.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path

import tantivy

from ..records.article import article_of
from ..store.atomic import write_atomically
from ..text.terms import terms

WRITER_HEAP = 64 * 1024 * 1024  # tantivy's indexing buffer; it flushes a segment when full


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("chunk_id", stored=True, tokenizer_name="raw")
    builder.add_text_field("article_id", tokenizer_name="raw")
    builder.add_text_field("terms", tokenizer_name="whitespace")  # already normalised by text.terms
    return builder.build()


class LexicalIndex:
    """``search(query, n)`` -> ``[(chunk_id, score)]``; ``stamp`` is the store state it was made from."""

    def __init__(self, index: tantivy.Index, stamp: str = "", folder: Path | None = None) -> None:
        self.index = index
        self.stamp = stamp
        self.folder = folder  # None: kept in memory (a reader's stopgap while the files are out of date)
        self.index.reload()
        self._searcher = index.searcher()

    @classmethod
    def build(cls, records: Iterable[tuple[str, str]], stamp: str = "", folder: Path | None = None) -> LexicalIndex:
        """A new index of ``(chunk_id, text)`` records: in ``folder`` or in memory.

        It is built beside ``folder`` and renamed into place, so a failed build leaves the old index, and an
        open reader of the old one (tantivy touches lock files in it) cannot get in the way."""
        if folder is None:
            built = cls(tantivy.Index(_schema()), "")
            built.apply((), records, stamp)
            return built
        for leftover in folder.parent.glob(f"{folder.name}.*-*"):  # of a build that crashed
            shutil.rmtree(leftover, ignore_errors=True)
        suffix = uuid.uuid4().hex[:8]
        fresh, old = folder.with_name(f"{folder.name}.new-{suffix}"), folder.with_name(f"{folder.name}.old-{suffix}")
        fresh.mkdir(parents=True)
        try:
            cls(tantivy.Index(_schema(), path=str(fresh)), "", fresh).apply((), records, stamp)
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        if folder.exists():
            folder.rename(old)
        fresh.rename(folder)
        shutil.rmtree(old, ignore_errors=True)
        return cls(tantivy.Index.open(str(folder)), stamp, folder)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex | None:
        """The index saved in ``folder``; None when it is missing or damaged (the caller rebuilds it)."""
        try:
            stamp = json.loads((folder / "stamp.json").read_text(encoding="utf-8"))["stamp"]
            return cls(tantivy.Index.open(str(folder)), stamp, folder)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    @property
    def size(self) -> int:
        return self._searcher.num_docs

    def apply(self, removed_articles: Iterable[str], added: Iterable[tuple[str, str]], stamp: str) -> None:
        """Drop every chunk of ``removed_articles``, add ``(chunk_id, text)`` records, commit, then record
        ``stamp``. Replacing an article is removing it and adding its new chunks."""
        writer = self.index.writer(heap_size=WRITER_HEAP, num_threads=1)
        try:
            for article_id in removed_articles:
                writer.delete_documents_by_term("article_id", article_id)
            for chunk_id, text in added:
                writer.add_document(tantivy.Document(chunk_id=chunk_id, article_id=article_of(chunk_id),
                                                     terms=" ".join(terms(text))))
            writer.commit()
        except BaseException:
            writer.rollback()  # nothing of this update is kept: the last commit stands
            raise
        finally:
            writer.wait_merging_threads()  # also releases the writer's lock and threads
        self.index.reload()
        self._searcher = self.index.searcher()
        self.stamp = stamp
        if self.folder is not None:
            write_atomically(self.folder / "stamp.json", json.dumps({"stamp": stamp}).encode())

    def search(self, query: str, n: int) -> list[tuple[str, float]]:
        tokens = dict.fromkeys(terms(query))
        if not tokens or n < 1:
            return []
        schema = self.index.schema
        wanted = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.term_query(schema, "terms", t)) for t in tokens])
        searcher = self._searcher
        return [(searcher.doc(address)["chunk_id"][0], float(score))
                for score, address in searcher.search(wanted, n).hits if score > 0]
