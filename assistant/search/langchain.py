"""The hybrid retriever as a LangChain retriever, for users' own chains (``Assistant.as_retriever``).

Its own module, so that LangChain's retriever machinery is imported only by those who ask for it."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever

from ..embedders.torch_backend import SentenceEmbedder

Embeddings.register(SentenceEmbedder)  # it has the methods; LangChain is not imported for them at every command

# the page content, and what only the answerer reads
INTERNAL = ("text", "sentences", "sentence_vectors", "packed_vectors", "carriers")


class NewsRetriever(BaseRetriever):
    """The hybrid retriever as a LangChain retriever, for use in users' own chains."""

    retriever: Any
    k: int = 5
    filters: Any = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun
                                ) -> list[Document]:
        return [
            Document(
                page_content=p.text,
                id=p.chunk_id,
                metadata={k: v for k, v in vars(p).items() if k not in INTERNAL and v is not None}
                | ({"also_carried_by": [vars(c) for c in p.carriers]} if p.carriers else {}),
            )
            for p in self.retriever.run(query, self.k, self.filters)
        ]
