"""The Gradio page: the chat (``app``), the Articles and Feeds tabs, kept conversations, its assets."""
