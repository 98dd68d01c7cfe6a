"""The naive peer: what a user would otherwise write with LangChain in twenty lines.

RecursiveCharacterTextSplitter(1000, 200), the same MiniLM weights through HuggingFaceEmbeddings
(PyTorch), a Chroma vector store with LangChain's defaults, top-4 chunks. It has no answerer: without
an LLM its "answer" is the best chunk, shown with the file it came from, and it never abstains.
It answers like ``Assistant.ask`` so ``assistant.answering.evaluate`` scores both with the same code.
"""

from __future__ import annotations

from pathlib import Path

from common import DEFAULT_MODEL  # first: sets the offline environment
from langchain_core.documents import Document
from langchain_text_splitters import RecursiveCharacterTextSplitter

from assistant.records.answer import Answer, Citation
from assistant.records.article import Passage
from assistant.settings import resolve_model_path

CONTEXT_CHUNKS = 4


def naive_embeddings():
    """The same bundled weights, loaded the way LangChain's docs show (PyTorch)."""
    from langchain_huggingface import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(model_name=resolve_model_path(DEFAULT_MODEL))


class NaivePeer:
    def __init__(self, articles: Path, persist_dir: Path, embeddings, collection: str = "naive") -> None:
        import chromadb
        from langchain_chroma import Chroma

        documents = [Document(page_content=p.read_text(encoding="utf-8"), metadata={"source": p.name})
                     for p in sorted(articles.glob("*.md"))]
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        self.chunks = splitter.split_documents(documents)
        self.store = Chroma.from_documents(
            self.chunks, embeddings, collection_name=collection, persist_directory=str(persist_dir),
            client_settings=chromadb.config.Settings(anonymized_telemetry=False),
        )

    def search(self, question: str, k: int) -> list[Document]:
        return self.store.similarity_search(question, k=k)

    def ask(self, question: str, history: list[str] | None = None, k: int | None = None, *,
            as_of: str | None = None) -> Answer:
        """Top-k chunks for the retrieval metrics (k=5 like ours); the answer is the best of the top 4. It has
        no dates: ``as_of`` is ignored, as a plain vector store would."""
        found = self.search(question, max(k or CONTEXT_CHUNKS, CONTEXT_CHUNKS))
        passages = [Passage(chunk_id=f"{d.metadata['source']}#{i}", article_id=d.metadata["source"],
                            title=d.metadata["source"], text=d.page_content, start=0, end=len(d.page_content),
                            sentences=[], score=0.0) for i, d in enumerate(found)]
        best = found[0]
        citation = Citation(n=1, title=best.metadata["source"], article_id=best.metadata["source"],
                            quote=best.page_content, start=0, end=len(best.page_content), score=0.0)
        return Answer(f"{best.page_content} [1]", [citation], False, passages[: k or CONTEXT_CHUNKS], question)
