"""Reading ESCO skills, occupations and occupation–skill relations from the official ESCO CSV download.

``skills_en.csv`` and ``occupations_en.csv`` give ``conceptUri``, ``preferredLabel``, ``altLabels`` (one per line,
in a quoted field) and ``description``, among other columns (``skillType``, ``reuseLevel``, ``inScheme``…) left
aside; ``occupationSkillRelations_en.csv`` gives ``occupationUri``, ``relationType`` (essential / optional),
``skillType`` and ``skillUri``. The excerpt shipped in guidance/data/esco has the same columns.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

csv.field_size_limit(1_000_000)

EXCERPT = Path(__file__).resolve().parent / "data" / "esco"  # shipped with the code; see its README.md
CONCEPT_COLUMNS = {"conceptUri", "preferredLabel"}
RELATION_COLUMNS = {"occupationUri", "relationType", "skillUri"}
RELATION_TYPES = ("essential", "optional")


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
    """Skills (``kind="skill"``) or occupations (``kind="occupation"``); other concepts (skill groups, ISCO
    groups) are left out."""
    rows = _rows(path, CONCEPT_COLUMNS)
    concepts = (_concept(row) for row in rows)
    return [concept for concept in concepts if f"/esco/{kind}/" in concept.uri and concept.label]


def read_relations(path: Path) -> list[SkillRelation]:
    return [
        SkillRelation(row["occupationUri"].strip(), row["skillUri"].strip(), row["relationType"].strip().lower())
        for row in _rows(path, RELATION_COLUMNS)
        if row["relationType"].strip().lower() in RELATION_TYPES
    ]


def _rows(path: Path, columns: set[str]) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as handle:  # with or without a byte-order mark
        reader = csv.DictReader(handle)
        found = set(reader.fieldnames or ())
        if not columns <= found:
            raise LayoutError(
                f"{path.name}: expected the ESCO columns {', '.join(sorted(columns))}, "
                f"found {', '.join(sorted(found)) or 'none'}."
            )
        return list(reader)


def _concept(row) -> Concept:
    alt = "\n".join(_words(line) for line in (row.get("altLabels") or "").splitlines() if line.strip())
    return Concept(
        uri=row["conceptUri"].strip(),
        label=_words(row["preferredLabel"]),
        alt_labels=alt,
        description=(row.get("description") or "").strip(),
    )


def _words(text: str) -> str:
    # ESCO labels carry stray no-break and double spaces ("assess\xa0candidates").
    return " ".join(text.split())
