"""Articles in: the readers of each format, loading a folder, sentence-aware chunking, uploads, feeds and
pages fetched into the folder, and the indexer that embeds and writes what changed."""
