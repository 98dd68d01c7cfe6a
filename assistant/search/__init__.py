"""From a question to passages: dense and keyword (BM25) retrieval fused by rank, one version per story,
the date filter a question's time words make, and LangChain's retriever over the same."""
