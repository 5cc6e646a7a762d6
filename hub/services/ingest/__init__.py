"""Call ingestion: the writer, the fold of stored updates into calls, the backlog."""
