"""The records that travel through the flow, and nothing that computes them: an article, its chunks, a
retrieved passage, an answer with its citations, the filters and dates a question carries, the events an
answerer streams and the reports an update writes. The ground floor: it imports no stage."""
