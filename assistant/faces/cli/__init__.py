"""The ``assistant`` command: ``main`` builds the parser and runs a command, ``ask`` shows answers in the
terminal, ``feeds`` the feed commands."""
