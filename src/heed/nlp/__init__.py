"""Pure NLP for Heed (no Django, no other Heed package): language detection, sentiment, the lexicon, themes and
their discovery, stemming, staff mentions and their tone, personal-data masking, and the pipeline that chains
them. The words each language needs are data: the language packs in ``data/<lang>/`` (``heed.nlp.packs``)."""
