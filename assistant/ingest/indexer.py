"""Index update: load, chunk, embed and store only what changed since the manifest was written."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, cast

from ..embedders import Embedder, backend_identity
from ..errors import DamagedManifest
from ..records.article import Article, Chunk, file_of
from ..records.reports import Problem, UpdateReport, counted
from ..search.bm25 import LexicalIndex
from ..search.stories import Carrier, StoryBook, carrier_of, signature, signed_from_records
from ..settings import Settings
from ..store.chroma import ChromaStore
from ..store.file_records import FileCache, KnownArticle
from ..store.manifest import ArticleEntry, Manifest
from .chunk import Chunker
from .load import Loaded, load_articles, load_file
from .load import unreadable_files as unreadable

if TYPE_CHECKING:
    import numpy as np

Progress = Callable[[int, int, str], None]
SCHEMA_VERSION = 3  # 2: Snowball stems in the keyword index; 3: sentence vectors stored with each chunk
LEGACY_SIDE_FILES = ("manifest.json", "files.json", "stories.json")


def index_identity(settings: Settings) -> dict:
    """What the stored vectors depend on; a change to any of it means a full rebuild."""
    return {
        "schema": SCHEMA_VERSION,
        "model": settings.embedding_model,
        "backend": backend_identity(settings),
        "chunk_tokens": settings.chunk_tokens,
        "overlap": settings.chunk_overlap_sentences,
    }


class Indexer:
    def __init__(self, settings: Settings, embedder: Embedder, store: ChromaStore) -> None:
        self.settings = settings
        self.embedder = embedder
        self.store = store

    def run(self, full: bool = False, progress: Progress | None = None) -> UpdateReport:
        """Update the store, the manifest and the keyword index from the articles folder."""
        began = time.perf_counter()
        notify = progress or (lambda done, total, message: None)
        settings = self.settings
        report = UpdateReport()
        self._touched: set[str] = set()  # articles whose chunks were removed or replaced
        self._added: list[tuple[str, str]] = []  # (chunk id, text) of the chunks written
        self._signed: list[tuple[Carrier, np.ndarray]] = []  # the MinHash of each article written
        manifest, keywords_before = self._manifest(full, report, notify)

        notify(0, 1, "Reading articles")
        files = FileCache(settings.file_cache_path, settings.max_article_bytes) if full \
            else FileCache.load(settings.file_cache_path, settings.max_article_bytes)
        articles, report.problems = load_articles(settings.articles_dir, settings.max_article_bytes, files)
        known = manifest.articles
        changed = self._read_in_full(
            [a for a in articles if a.id not in known or known[a.id].hash != a.content_hash], report)
        unreadable_files = unreadable(report.problems)
        current = {a.id: a for a in articles}
        report.unchanged = len(articles) - len(changed)
        # A file that fails to load now keeps its last good version in the index: nothing is lost.
        gone = [i for i in known if i not in current and file_of(i) not in unreadable_files]
        if changed or gone:
            manifest.updated_at = None  # "in progress" until the new stamp is written
        self.store.delete_articles(gone)
        self._touched.update(gone)
        for article_id in gone:
            del manifest.articles[article_id]
        report.removed = len(gone)
        if changed:
            self._embed_and_store(changed, manifest, report, notify)

        store_stamp = self.store.stamp()
        if manifest.updated_at is None or manifest.updated_at != store_stamp or report.repaired:
            manifest.updated_at = datetime.now(UTC).isoformat(timespec="microseconds")
            manifest.save(settings.manifest_path)
            self.store.set_stamp(manifest.updated_at)  # marks the update complete
        self._update_keywords(keywords_before, manifest.updated_at, notify)
        self._update_stories(keywords_before, manifest.updated_at, notify)
        files.save()
        for legacy in LEGACY_SIDE_FILES:  # now in SQLite; an index of an older version moves on its first update
            (settings.index_dir / legacy).unlink(missing_ok=True)
        report.total_articles = len(manifest.articles)
        report.total_chunks = manifest.chunk_count
        report.seconds = round(time.perf_counter() - began, 3)
        notify(1, 1, "Done")
        return report

    def _read_in_full(self, changed: list[Loaded], report: UpdateReport) -> list[Article]:
        """The text of articles to embed that came from unchanged files (say, the original of a duplicate
        that was removed). A file that fails now is reported, and its articles wait for the next update."""
        wanted = {a.id for a in changed if isinstance(a, KnownArticle)}
        read: dict[str, Article] = {}
        for name in sorted({file_of(i) for i in wanted}):
            try:
                articles = load_file(self.settings.articles_dir / name, name, self.settings.max_article_bytes)
                read.update((a.id, a) for a in articles if a.id in wanted)
            except Exception as error:  # it changed since it was listed; the next update reads it whole
                report.problems.append(Problem(name, f"{name} could not be read again ({error})"))
        # an id not wanted is an Article's: every KnownArticle's id is wanted
        return [read[a.id] if a.id in wanted else cast(Article, a) for a in changed
                if a.id in read or a.id not in wanted]

    def _update_keywords(self, before: str | None, stamp: str, notify: Progress) -> None:
        """Apply this update's changes to the keyword index when it matched the store before the update;
        rebuild it from the store when it did not (missing, damaged, a crashed update, a full rebuild)."""
        keywords = LexicalIndex.load(self.settings.lexical_dir)
        if keywords is not None and keywords.stamp == stamp:
            return
        if keywords is not None and before is not None and keywords.stamp == before:
            notify(1, 1, "Updating the keyword index")
            keywords.apply(self._touched, self._added, stamp)
            return
        notify(1, 1, "Rebuilding the keyword index")
        LexicalIndex.build(((i, d) for i, d, _ in self.store.records(metadatas=False)), stamp,
                           self.settings.lexical_dir)

    def _update_stories(self, before: str | None, stamp: str, notify: Progress) -> None:
        """Sign this update's articles into the story book when it matched the store before; else sign every
        stored article again from its passages (like the keyword index: missing, damaged, a full rebuild)."""
        path, threshold = self.settings.stories_path, self.settings.near_duplicate_similarity
        saved = StoryBook.saved_stamp(path)
        if saved == stamp:
            return
        if before is not None and saved == before:  # only this update's rows change: the book is not read
            StoryBook(path, threshold, saved).update(self._touched, self._signed, stamp)
            return
        notify(1, 1, "Finding stories told by several outlets")
        StoryBook(path, threshold).update((), signed_from_records(self.store.records()), stamp, replace=True)

    def _manifest(self, full: bool, report: UpdateReport, notify: Progress) -> tuple[Manifest, str | None]:
        """The manifest to update from, and the store's stamp when the index was in step with the store before
        this update (then its side files, the keyword index too, can be updated by what this update changes),
        else None.

        The store is the truth: when the local manifest does not match it (a crashed update, another client
        of a Chroma server), it is rebuilt from chunk metadata and chunks of incomplete articles are dropped,
        so they are embedded again."""
        identity = index_identity(self.settings)
        try:
            manifest = Manifest.load(self.settings.manifest_path)
        except DamagedManifest as error:  # read back from the store below, like a missing one
            notify(0, 1, error.problem)
            report.note = "the damaged manifest was rebuilt from the stored passages"
            manifest = Manifest()
        if full or self.store.identity() != identity:
            notify(0, 1, "Rebuilding the index from scratch")
            self.store.reset(identity)
            report.rebuilt = True
            return Manifest(identity=identity), None
        stamp = self.store.stamp()
        if manifest.identity == identity and manifest.updated_at == stamp and stamp is not None \
                and self.store.count() == manifest.chunk_count:
            return manifest, stamp
        notify(0, 1, "Checking the index against the store")
        stored = [meta for _, _, meta in self.store.records(documents=False)]
        manifest = Manifest.from_records(stored, identity, stamp)
        incomplete = sorted({m["article_id"] for m in stored} - set(manifest.articles))
        self.store.delete_articles(incomplete)
        report.repaired = len(incomplete)
        manifest.save(self.settings.manifest_path)
        return manifest, None

    def _embed_and_store(self, changed: list[Article], manifest: Manifest, report: UpdateReport,
                         notify: Progress) -> None:
        settings = self.settings
        chunker = Chunker(self.embedder.count_tokens, min(settings.chunk_tokens, self.embedder.max_tokens),
                          settings.chunk_overlap_sentences)
        done = 0
        for batch in self._batches(changed, chunker, settings.update_batch_chunks):
            texts = [c.text for _, chunks in batch for c in chunks]
            sentences = {(a.id, s.start, s.end): a.text[s.start:s.end]
                         for a, chunks in batch for c in chunks for s in c.sentences}  # overlaps embedded once
            notify(done, len(changed), f"Embedding {counted(len(texts), 'passage')}")
            # Two calls: the int8 model quantises activations per batch, so passages embedded beside
            # sentences would move a little, and retrieval would change with how they were indexed.
            vectors = self.embedder.encode(texts)
            notify(done + len(batch) // 2, len(changed),  # the passages are about half the time
                   f"Embedding the {counted(len(sentences), 'sentence')} of those passages")
            sentence_rows = self.embedder.encode(list(sentences.values()))
            row = {key: i for i, key in enumerate(sentences)}
            replaced = [article.id for article, _ in batch if article.id in manifest.articles]
            self.store.delete_articles(replaced)  # an updated article's old chunks, numbered differently
            writes: list[tuple[Article, list[Chunk], np.ndarray, list[np.ndarray] | None]]
            writes, offset = [], 0
            for article, chunks in batch:
                sentence_vectors = [sentence_rows[[row[(article.id, s.start, s.end)] for s in c.sentences]]
                                    for c in chunks]
                writes.append((article, chunks, vectors[offset:offset + len(chunks)], sentence_vectors))
                offset += len(chunks)
            self.store.add_many(writes)  # one write for the batch, not one per article
            self._touched.update(replaced)
            self._added += [(c.id, c.text) for _, chunks in batch for c in chunks]
            self._signed += [(carrier_of(article), signature(article.text)) for article, _ in batch]
            for article, chunks in batch:
                report.chunks += len(chunks)
                manifest.articles[article.id] = ArticleEntry(
                    article.content_hash, article.title, len(chunks), article.date, article.source)
            report.updated += len(replaced)
            report.added += len(batch) - len(replaced)
            done += len(batch)
            manifest.save(settings.manifest_path)  # a crash loses at most the batch in flight

    @staticmethod
    def _batches(articles: list[Article], chunker: Chunker, batch_chunks: int):
        """Chunks of several small articles share one encode call."""
        batch: list[tuple[Article, list[Chunk]]] = []
        size = 0
        for article in articles:
            chunks = chunker.run(article)
            batch.append((article, chunks))
            size += len(chunks)
            if size >= batch_chunks:
                yield batch
                batch, size = [], 0
        if batch:
            yield batch
