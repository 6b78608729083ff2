"""Bulk import and export of assessment results (CSV and XLSX).

One row per learner × program: identity columns, then one column per rubric criterion holding the chosen
level's name. ``plan_import`` is the dry run: it resolves every row and collects every error with its line
number, touching nothing. ``apply_import`` re-plans and, only if there is no error at all, records every
attempt in one transaction — a file with any error imports nothing.
"""

import datetime
from dataclasses import dataclass, field

import tablib
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Prefetch, Q

from catalog.models import Criterion, Level, Program
from catalog.rubrics import score_rubric
from config.spreadsheets import escape_row, looks_like_formula, unescape_cell

from . import services
from .models import AssessmentAttempt, Enrolment, Learner

IDENTITY_COLUMNS = ["student_id", "email", "program_code", "assessor", "assessed_on", "evidence_url", "feedback"]
# Written by the export for people reading it; recomputed from the levels on import, so ignored.
DERIVED_COLUMNS = ["total_points", "passed"]
FORMATS = {".csv": "csv", ".xlsx": "xlsx"}


@dataclass
class RowError:
    line: int
    column: str
    message: str

    def __str__(self):
        return f"Line {self.line}, {self.column}: {self.message}"


@dataclass
class PlannedRow:
    line: int
    learner: Learner
    program: Program
    enrolment: Enrolment | None  # None: a new enrolment will be created
    levels: dict  # criterion pk → level pk
    level_names: dict  # criterion name → level name, for the preview
    assessor: object
    assessed_on: datetime.date
    evidence_url: str
    feedback: str
    total: object = None
    passed: bool | None = None

    @property
    def creates_enrolment(self):
        return self.enrolment is None

    @property
    def action(self):
        verdict = "pass" if self.passed else "fail"
        outcome = f"{self.total.normalize():f} points, {verdict}"
        if self.creates_enrolment:
            return f"Enrol in {self.program.code} (new enrolment), then record final attempt: {outcome}"
        return f"Record final attempt (enrolment #{self.enrolment.pk}): {outcome}"


@dataclass
class ImportPlan:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors and bool(self.rows)

    @property
    def new_enrolments(self):
        return [row for row in self.rows if row.creates_enrolment]


def load_dataset(content: bytes, filename: str) -> tablib.Dataset:
    extension = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in FORMATS:
        raise ValueError(f"Upload a .csv or .xlsx file, not “{filename}”.")
    if FORMATS[extension] == "csv":
        return tablib.Dataset().load(content.decode("utf-8-sig"), format="csv")
    return tablib.Dataset().load(content, format="xlsx")


def plan_import(dataset: tablib.Dataset, *, allow_new_enrolments: bool = True) -> ImportPlan:
    """The dry run. A row for a learner with no enrolment plans a new one, or is an error if not allowed."""
    plan = ImportPlan()
    headers = [unescape_cell(str(h or "").strip()) for h in (dataset.headers or [])]
    if "program_code" not in headers or not ({"student_id", "email"} & set(headers)):
        plan.errors.append(
            RowError(1, "header", "The file needs a program_code column and a student_id or email column.")
        )
        return plan
    raw_rows = [dict(zip(headers, (_cell(v) for v in row), strict=False)) for row in dataset]
    rows = [{column: unescape_cell(value) for column, value in row.items()} for row in raw_rows]
    lookups = _Lookups(rows)
    seen = {}
    for line, (raw, row) in enumerate(zip(raw_rows, rows, strict=True), start=2):
        plan.warnings.extend(_formula_warnings(line, raw))
        planned = _plan_row(line, row, headers, lookups, plan.errors)
        if planned is None:
            continue
        if planned.creates_enrolment and not allow_new_enrolments:
            message = f"{planned.learner.legal_name} is not enrolled in {planned.program.code}."
            plan.errors.append(RowError(line, "program_code", message))
            continue
        key = (planned.learner.pk, planned.program.code)
        if key in seen:
            plan.errors.append(RowError(line, "row", f"Duplicate of line {seen[key]} (same learner and program)."))
            continue
        seen[key] = line
        plan.rows.append(planned)
    return plan


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _formula_warnings(line, row):
    return [
        RowError(line, column, f"begins with “{value[0]}”: a spreadsheet may run it as a formula; imported as text.")
        for column, value in row.items()
        if looks_like_formula(value)
    ]


class _Lookups:
    """Everything the rows refer to, fetched in a fixed number of queries."""

    def __init__(self, rows):
        student_ids = {r.get("student_id") for r in rows if r.get("student_id")}
        emails = {r.get("email", "").lower() for r in rows if r.get("email")}
        learners = list(Learner.objects.filter(Q(student_id__in=student_ids) | Q(email__in=emails)))
        self.by_student_id = {(lr.institution_id, lr.student_id): lr for lr in learners if lr.student_id}
        self.by_email = {(lr.institution_id, lr.email): lr for lr in learners}
        codes = {r.get("program_code", "").upper() for r in rows}
        programs = (
            Program.objects.published()
            .filter(code__in=codes)
            .prefetch_related(
                Prefetch(
                    "rubric__criteria",
                    queryset=Criterion.objects.prefetch_related(Prefetch("levels", queryset=Level.objects.all())),
                )
            )
        )
        self.programs = {p.code: p for p in programs}
        self.enrolments = {}
        for enrolment in (
            Enrolment.objects.filter(learner__in=learners, program__code__in=codes)
            .exclude(status=Enrolment.Status.WITHDRAWN)
            .select_related("program")
        ):
            self.enrolments.setdefault((enrolment.learner_id, enrolment.program.code), []).append(enrolment)
        self.open_drafts = set(
            AssessmentAttempt.objects.filter(
                status=AssessmentAttempt.Status.DRAFT, enrolment__learner__in=learners
            ).values_list("enrolment_id", flat=True)
        )
        names = {r.get("assessor", "") for r in rows if r.get("assessor")}
        staff = (
            get_user_model()
            .objects.filter(is_staff=True)
            .filter(Q(username__in=names) | Q(email__in={n.lower() for n in names}))
        )
        self.assessors = {u.username: u for u in staff} | {u.email.lower(): u for u in staff if u.email}


def _plan_row(line, row, headers, lookups, errors):
    """Resolve one row into a PlannedRow, or record its errors (every one of them) and return None."""
    found = []

    def error(column, message):
        found.append(RowError(line, column, message))

    code = row.get("program_code", "").upper()
    program = _row_program(code, lookups, error)
    learner = _row_learner(row, program, lookups, error) if program is not None else None
    assessor = _row_assessor(row, lookups, error)
    assessed_on = _row_date(row, error)
    rubric = _row_rubric(program, code, error)
    levels, level_names = _row_levels(row, headers, rubric, code, error) if rubric is not None else ({}, {})
    enrolment = None
    if learner is not None and program is not None:
        enrolment, problem = _enrolment_for(learner, code, lookups)
        if problem:
            error("program_code", problem)
    errors.extend(found)
    if found:
        return None
    planned = PlannedRow(
        line,
        learner,
        program,
        enrolment,
        levels,
        level_names,
        assessor,
        assessed_on,
        row.get("evidence_url", ""),
        row.get("feedback", ""),
    )
    score = score_rubric(rubric, levels)  # every criterion has a valid level by now
    planned.total, planned.passed = score.total, score.passed
    return planned


def _row_program(code, lookups, error):
    program = lookups.programs.get(code)
    if program is None:
        error("program_code", f"Unknown or unpublished program “{code}”." if code else "The program code is empty.")
    return program


def _row_learner(row, program, lookups, error):
    learner = _find_learner(row, program, lookups)
    if learner is None:
        who = row.get("student_id") or row.get("email") or "(empty)"
        error("student_id" if row.get("student_id") else "email", f"Unknown learner “{who}”.")
    return learner


def _row_assessor(row, lookups, error):
    name = row.get("assessor", "")
    assessor = lookups.assessors.get(name) or lookups.assessors.get(name.lower())
    if assessor is None:
        error("assessor", f"Unknown assessor “{name}” (a staff username or email).")
    return assessor


def _row_date(row, error):
    try:
        return datetime.date.fromisoformat(row.get("assessed_on", ""))
    except ValueError:
        error("assessed_on", f"“{row.get('assessed_on', '')}” is not a date (use YYYY-MM-DD).")
        return None


def _row_rubric(program, code, error):
    rubric = getattr(program, "rubric", None) if program else None
    if program is not None and rubric is None:
        error("program_code", f"{code} has no rubric.")
    return rubric


def _row_levels(row, headers, rubric, code, error):
    """criterion pk → level pk, and criterion name → level name for the preview, from the criterion columns."""
    levels, level_names = {}, {}
    criteria = {c.name.lower(): c for c in rubric.criteria.all()}
    for column in headers:
        if column in IDENTITY_COLUMNS or column in DERIVED_COLUMNS or not column or not row.get(column):
            continue
        if column.lower() not in criteria:
            error(column, f"“{column}” is not a criterion of {code}.")
    for criterion in criteria.values():
        value = row.get(_header_for(headers, criterion.name), "")
        if not value:
            error(criterion.name, f"Missing level for criterion “{criterion.name}”.")
            continue
        level = next((lv for lv in criterion.levels.all() if lv.name.lower() == value.lower()), None)
        if level is None:
            choices = ", ".join(lv.name for lv in criterion.levels.all())
            error(criterion.name, f"Unknown level “{value}”; choose one of: {choices}.")
            continue
        levels[criterion.pk] = level.pk
        level_names[criterion.name] = level.name
    return levels, level_names


def _header_for(headers, criterion_name):
    return next((h for h in headers if h.lower() == criterion_name.lower()), criterion_name)


def _find_learner(row, program, lookups):
    if row.get("student_id"):
        return lookups.by_student_id.get((program.institution_id, row["student_id"]))
    return lookups.by_email.get((program.institution_id, row.get("email", "").lower()))


def _enrolment_for(learner, code, lookups):
    enrolments = lookups.enrolments.get((learner.pk, code), [])
    if any(e.status == Enrolment.Status.COMPLETED for e in enrolments):
        return None, f"{learner.legal_name} has already completed {code}; record a correction in the admin instead."
    current = next((e for e in enrolments if e.status in (*Enrolment.ACTIVE, Enrolment.Status.FAILED)), None)
    if current is not None and current.pk in lookups.open_drafts:
        return None, f"Enrolment #{current.pk} has an open draft attempt; finalise or delete it first."
    return current, None


def apply_import(dataset, *, user, allow_new_enrolments=True, accept_new_enrolments=False):
    """Re-plan ``dataset`` and record every row, or nothing if any row has an error. Returns the plan.

    Rows that would create enrolments are applied only when the registrar accepted them explicitly.
    """
    with transaction.atomic():
        plan = plan_import(dataset, allow_new_enrolments=allow_new_enrolments)
        if plan.ok and plan.new_enrolments and not accept_new_enrolments:
            plan.errors.append(
                RowError(1, "file", f"{len(plan.new_enrolments)} row(s) create enrolments; accept them to import.")
            )
        if not plan.ok:
            return plan
        for row in plan.rows:
            enrolment = row.enrolment or services.enrolment_create(
                learner=row.learner, program=row.program, enrolled_on=row.assessed_on
            )
            evidence = [services.EvidenceSpec(title="Submitted work", url=row.evidence_url)] if row.evidence_url else []
            services.attempt_record(
                enrolment=enrolment,
                assessor=row.assessor,
                levels=row.levels,
                assessed_on=row.assessed_on,
                recorded_by=user,
                feedback=row.feedback,
                evidence=evidence,
                finalise=True,
                rubric=row.program.rubric,  # loaded with its criteria and levels by the plan
            )
    return plan


def export_results(attempts) -> tablib.Dataset:
    """Final attempts as a dataset in the import format (so an export can be re-imported elsewhere)."""
    attempts = list(attempts)
    criterion_names = []
    for attempt in attempts:
        for score in attempt.scores.all():
            if score.criterion.name not in criterion_names:
                criterion_names.append(score.criterion.name)
    dataset = tablib.Dataset(headers=escape_row(IDENTITY_COLUMNS + DERIVED_COLUMNS + criterion_names))
    for attempt in attempts:
        learner = attempt.enrolment.learner
        chosen = {score.criterion.name: score.level.name for score in attempt.scores.all()}
        evidence_url = next((e.url for e in attempt.evidence.all() if e.url), "")
        dataset.append(
            escape_row(
                [
                    learner.student_id,
                    learner.email,
                    attempt.enrolment.program.code,
                    attempt.assessor.username,
                    attempt.assessed_on.isoformat(),
                    evidence_url,
                    attempt.feedback,
                    f"{attempt.total_points.normalize():f}",
                    "yes" if attempt.passed else "no",
                ]
                + [chosen.get(name, "") for name in criterion_names]
            )
        )
    return dataset


def template_dataset(program) -> tablib.Dataset:
    """An empty import file for ``program``: the identity columns and one column per rubric criterion."""
    criteria = [criterion.name for criterion in program.rubric.criteria.all()] if hasattr(program, "rubric") else []
    return tablib.Dataset(headers=escape_row(IDENTITY_COLUMNS + criteria))
