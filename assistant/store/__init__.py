"""Where the index lives: the Chroma collection and everything kept beside it (manifest, file records,
SQLite tables, conversations), the writer lock and the record of the server that owns the index."""
