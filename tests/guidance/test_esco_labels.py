"""The shipped ESCO excerpt reads ESCO's own labels: checked against a vendored sample of the official ESCO 1.2.0
CSV files (tests/guidance/data/README.md says where it comes from)."""

import csv
import re
from pathlib import Path

from guidance import esco
from guidance.esco import EXCERPT

OFFICIAL = Path(__file__).resolve().parent / "data" / "esco_official_labels.csv"
JOINING_WORDS = {"a", "an", "and", "at", "for", "in", "of", "on", "or", "the", "to", "with"}


def _excerpt():
    return esco.read_concepts(EXCERPT / "skills.csv", kind="skill") + esco.read_concepts(
        EXCERPT / "occupations.csv", kind="occupation"
    )


def test_every_sampled_label_is_the_official_esco_label():
    with open(OFFICIAL, newline="", encoding="utf-8") as handle:
        official = {row["conceptUri"]: " ".join(row["preferredLabel"].split()) for row in csv.DictReader(handle)}
    labels = {concept.uri: concept.label for concept in _excerpt() if concept.uri in official}
    assert len(labels) == len(official) == 347
    assert {uri: label for uri, label in labels.items() if label != official[uri]} == {}


def test_no_label_repeats_a_word_as_labels_run_together_do():
    assert [c.label for c in _excerpt() if re.search(r"\b(\w+) \1\b", c.label, re.IGNORECASE)] == []


def test_no_label_stops_on_a_joining_word():
    assert [c.label for c in _excerpt() if c.label.split()[-1] in JOINING_WORDS] == []


def test_every_concept_has_a_description_opening_a_sentence():
    assert [c.label for c in _excerpt() if not c.description[:1].isupper()] == []
