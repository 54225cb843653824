"""Scoring automatic output against curated gold. Never imported by the extractor."""
