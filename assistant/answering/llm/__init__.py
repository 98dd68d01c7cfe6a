"""Answers written by a LangChain chat model: the backends, the prompts, the answerer that streams
them, and the check of each cited sentence against its passage."""
