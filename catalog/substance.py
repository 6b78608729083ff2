"""A program's substance: what an approver approves and a credential states — its credential fields, price,
delivery, alignments, and rubric with its pass rule. Its digest is recorded at approval and checked at publishing,
so that nothing approved can change unseen before it is published (docs/decisions/0010)."""

import hashlib
import json

from .models import Program, Rubric

# The credential's fields, and what a learner pays and how it is taught: all of them need the approver's eye.
FIELDS = (*Program.CREDENTIAL_FIELDS, "cost", "currency", "delivery_mode", "language")


def substance(program: Program) -> dict:
    """The program's substance as plain JSON (field values, aligned competency ids, the rubric)."""
    meta = Program._meta
    fields = {name: _plain(meta.get_field(name).value_from_object(program)) for name in FIELDS}
    alignments = sorted(program.alignments.values_list("competency_id", flat=True))
    return {"fields": fields, "alignments": alignments, "rubric": _rubric(program)}


def digest(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def changes(approved: dict, current: dict) -> list[str]:
    """What differs between two substances, in words a registrar reads: field names, "alignments", "rubric"."""
    names = [name for name in FIELDS if approved.get("fields", {}).get(name) != current["fields"].get(name)]
    names += [part for part in ("alignments", "rubric") if approved.get(part) != current[part]]
    return [meta_name.replace("_", " ") for meta_name in names]


def _rubric(program):
    try:
        rubric = Rubric.objects.prefetch_related("criteria__levels", "criteria__competencies").get(program=program)
    except Rubric.DoesNotExist:
        return None
    criteria = sorted(rubric.criteria.all(), key=lambda criterion: (criterion.order, criterion.name))
    return {
        "min_total_points": _plain(rubric.min_total_points),
        "criteria": [
            {
                "name": criterion.name,
                "description": criterion.description,
                "weight": _plain(criterion.weight),
                "min_level": next(
                    (level.name for level in criterion.levels.all() if level.pk == criterion.min_level_id), None
                ),
                "competencies": sorted(competency.pk for competency in criterion.competencies.all()),
                "levels": [
                    {"name": level.name, "description": level.description, "points": _plain(level.points)}
                    for level in sorted(criterion.levels.all(), key=lambda level: (level.order, level.name))
                ],
            }
            for criterion in criteria
        ],
    }


def _plain(value):
    """A value as JSON holds it: decimals and files as text, the rest as it is."""
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)
