"""Models for the awards app."""
