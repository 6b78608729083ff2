"""A generated ESCO download in the official CSV layout, full size by default (ESCO 1.2.0: 13,939 skills, 3,039
occupations, 129,004 occupation–skill relations), for the import benchmark and tests.

The layout is the English CSV download's: the same columns in the same order, a byte-order mark, altLabels and
inScheme as quoted fields with one entry per line, labels with commas, no-break spaces and brackets, every
skillType and reuseLevel value, essential and optional relations.
"""

import csv
import random
from dataclasses import dataclass
from pathlib import Path

SKILL_COLUMNS = [
    "conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels", "hiddenLabels",
    "status", "modifiedDate", "scopeNote", "definition", "inScheme", "description",
]  # fmt: skip
OCCUPATION_COLUMNS = [
    "conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels", "hiddenLabels", "status",
    "modifiedDate", "regulatedProfessionNote", "scopeNote", "definition", "inScheme", "description", "code",
]  # fmt: skip
RELATION_COLUMNS = ["occupationUri", "relationType", "skillType", "skillUri"]
SKILL_TYPES = ["skill/competence", "knowledge"]
REUSE_LEVELS = ["sector-specific", "occupation-specific", "cross-sector", "transversal"]
VERBS = ["manage", "analyse", "use", "apply", "maintain", "design", "monitor", "advise on", "operate", "evaluate"]
OBJECTS = ["data", "databases", "ICT systems", "budgets", "suppliers", "quality standards", "networks", "staff"]


@dataclass(frozen=True)
class Download:
    skills: Path
    occupations: Path
    relations: Path
    skill_count: int
    occupation_count: int
    relation_count: int


def skill_uri(i: int) -> str:
    return f"http://data.europa.eu/esco/skill/{i:08x}-0000-4000-8000-000000000000"


def occupation_uri(i: int) -> str:
    return f"http://data.europa.eu/esco/occupation/{i:08x}-0000-4000-8000-000000000000"


def write_esco_download(
    folder: Path, *, skills: int = 13_939, occupations: int = 3_039, relations: int = 129_004, seed: int = 12
) -> Download:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "skills_en.csv", folder / "occupations_en.csv", folder / "occupationSkillRelations_en.csv"]
    _write(paths[0], SKILL_COLUMNS, (_skill(i, rng) for i in range(skills)))
    _write(paths[1], OCCUPATION_COLUMNS, (_occupation(i, rng) for i in range(occupations)))
    _write(paths[2], RELATION_COLUMNS, _relations(occupations, skills, relations, rng))
    return Download(*paths, skills, occupations, relations)


def skill_label(i: int) -> str:
    verb, thing = VERBS[i % len(VERBS)], OBJECTS[(i // len(VERBS)) % len(OBJECTS)]
    return f"{verb}\u00a0{thing} {i}" if i % 97 == 0 else f"{verb} {thing}, area {i}"  # ESCO's stray no-break spaces


def _skill(i, rng):
    label = skill_label(i)
    return {
        "conceptType": "KnowledgeSkillCompetence",
        "conceptUri": skill_uri(i),
        "skillType": SKILL_TYPES[i % 2],
        "reuseLevel": REUSE_LEVELS[i % len(REUSE_LEVELS)],
        "preferredLabel": label if i % 50 else f"tool {i} (computer programming)",
        "altLabels": "\n".join(f"{label} variant {k}" for k in range(rng.randint(0, 6))),
        "hiddenLabels": "",
        "status": "released",
        "modifiedDate": "2023-11-30T15:53:37.136Z",
        "scopeNote": "",
        "definition": "",
        "inScheme": "http://data.europa.eu/esco/concept-scheme/skills,\n"
        "http://data.europa.eu/esco/concept-scheme/member-skills",
        "description": f'Do what “{label}” says, in line with "policy"; then report.',
    }


def _occupation(i, rng):
    label = f"{OBJECTS[i % len(OBJECTS)]} specialist {i}"
    return {
        "conceptType": "Occupation",
        "conceptUri": occupation_uri(i),
        "iscoGroup": f"{2000 + i % 700}",
        "preferredLabel": label,
        "altLabels": "\n".join(f"{label} grade {k}" for k in range(rng.randint(1, 8))),
        "hiddenLabels": "",
        "status": "released",
        "modifiedDate": "2024-01-25T11:28:50.295Z",
        "regulatedProfessionNote": "http://data.europa.eu/esco/regulated-professions/unregulated",
        "scopeNote": "",
        "definition": "",
        "inScheme": "http://data.europa.eu/esco/concept-scheme/occupations,\n"
        "http://data.europa.eu/esco/concept-scheme/member-occupations",
        "description": f"{label.capitalize()}s plan, do and check.\n",
        "code": f"{2000 + i % 700}.{i}",
    }


def _relations(occupations, skills, total, rng):
    per_occupation, extra = divmod(total, occupations)
    for i in range(occupations):
        for k, skill in enumerate(rng.sample(range(skills), per_occupation + (i < extra))):
            yield {
                "occupationUri": occupation_uri(i),
                "relationType": "essential" if k % 3 else "optional",
                "skillType": SKILL_TYPES[skill % 2],
                "skillUri": skill_uri(skill),
            }


def _write(path, columns, rows):
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, quoting=csv.QUOTE_MINIMAL)
        writer.writeheader()
        writer.writerows(rows)
