"""Feeds and pages that land in the articles folder: the followed feeds (book), polling them (poller),
the one HTTP client (http) and fetched pages as article files (pages)."""
