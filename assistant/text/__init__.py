"""What the assistant knows of English and of time words: terms and stems, how common a word is, the
language a question is in, time words in a question ("last week") and dated phrases in an article."""
