"""Writing a program's rubric quickly: a level scale (names, points, order) given to many criteria at once, taken
from a common scale or from a rubric the institution already uses."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from .models import Criterion, Level, Rubric


@dataclass(frozen=True)
class ScaleLevel:
    name: str
    points: Decimal
    description: str = ""


def _scale(*levels):
    return tuple(ScaleLevel(name, Decimal(points)) for name, points in levels)


# Scales registrars reach for first; a rubric of the institution's own can be copied as well (scale_choices).
COMMON_SCALES = {
    "four": (
        "Four levels: Beginning 1 · Developing 2 · Proficient 3 · Exemplary 4",
        _scale(("Beginning", 1), ("Developing", 2), ("Proficient", 3), ("Exemplary", 4)),
    ),
    "three": (
        "Three levels: Not yet 0 · Competent 1 · Excellent 2",
        _scale(("Not yet", 0), ("Competent", 1), ("Excellent", 2)),
    ),
    "met": ("Met or not: Not met 0 · Met 1", _scale(("Not met", 0), ("Met", 1))),
}


def rubric_scale(rubric: Rubric) -> tuple[ScaleLevel, ...]:
    """The scale a rubric uses: its first criterion's levels, in order (reads prefetched criteria and levels)."""
    criteria = sorted(rubric.criteria.all(), key=lambda criterion: (criterion.order, criterion.pk))
    levels = criteria[0].levels.all() if criteria else []
    return tuple(
        ScaleLevel(level.name, level.points, level.description)
        for level in sorted(levels, key=lambda level: (level.order, level.points))
    )


def scale_choices(*, exclude_rubric: Rubric | None = None) -> list[tuple[str, str]]:
    """The scales a registrar may copy: the common ones, then each distinct scale of the current versions'
    rubrics once, named by the programs that use it. Three queries, however many rubrics there are."""
    rubrics = (
        Rubric.objects.filter(program__successor__isnull=True, criteria__levels__isnull=False)
        .exclude(pk=getattr(exclude_rubric, "pk", None))
        .distinct()
        .select_related("program")
        .prefetch_related("criteria__levels")
        .order_by("program__code")
    )
    used = {}
    for rubric in rubrics:
        scale = rubric_scale(rubric)
        if scale:
            used.setdefault(scale, []).append(rubric)
    choices = [(f"scale:{key}", label) for key, (label, _levels) in COMMON_SCALES.items()]
    for scale, users in used.items():
        levels = " · ".join(f"{level.name} {level.points.normalize():f}" for level in scale)
        codes = ", ".join(rubric.program.code for rubric in users[:3]) + (" …" if len(users) > 3 else "")
        choices.append((f"rubric:{users[0].pk}", f"{levels} (as in {codes})"))
    return choices


def scale_of_choice(choice: str) -> tuple[ScaleLevel, ...]:
    """The scale a ``scale_choices`` value stands for."""
    kind, _, key = choice.partition(":")
    if kind == "scale" and key in COMMON_SCALES:
        return COMMON_SCALES[key][1]
    if kind == "rubric" and key.isdigit():
        rubric = Rubric.objects.prefetch_related("criteria__levels").filter(pk=int(key)).first()
        if rubric is not None and rubric_scale(rubric):
            return rubric_scale(rubric)
    raise ValidationError("Choose one of the scales offered.")


@transaction.atomic
def give_criteria_levels(*, rubric: Rubric, scale: tuple[ScaleLevel, ...]) -> list[Criterion]:
    """Give every criterion of ``rubric`` that has no levels yet the levels of ``scale`` (names, points,
    descriptions, in order); criteria with levels keep theirs. Returns the criteria that got levels."""
    if rubric.program.is_frozen:
        raise ValidationError(f"{rubric.program} is published; create a new version to change its rubric.")
    criteria = list(rubric.criteria.filter(levels__isnull=True).order_by("order", "pk"))
    bulk_create_with_history(
        [
            Level(criterion=criterion, order=order, name=level.name, points=level.points, description=level.description)
            for criterion in criteria
            for order, level in enumerate(scale)
        ],
        Level,
    )
    return criteria
