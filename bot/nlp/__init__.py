"""spaCy pieces: the rule-based pipeline built from data/spacy/*.yml."""
