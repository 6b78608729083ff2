"""Models for the learners app."""
