"""Bulk import and export of assessment results (CSV and XLSX).

One row per learner × program: identity columns, the enrolment's cohort and date, then one column per rubric
criterion holding the chosen level's name (the template names the levels in the header: "Analysis (L0 | L1)").
``plan_import`` is the dry run: it resolves every row and collects every error with its line number, touching
nothing. ``apply_import`` re-plans and, only if there is no error at all, records every attempt — as drafts for
review or as final results — in one transaction: a file with any error imports nothing.
"""

import datetime
import enum
import io
from dataclasses import dataclass, field

import openpyxl
import tablib
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from catalog.models import Criterion, Level, Program
from catalog.rubrics import score_rubric
from config.spreadsheets import escape_cell, escape_row, looks_like_formula, unescape_cell

from . import services
from .models import AssessmentAttempt, Enrolment, Learner
from .signals import AchievementConsequences, forecast_achievements

IDENTITY_COLUMNS = ["student_id", "email", "program_code", "assessor", "assessed_on", "evidence_url", "feedback"]
# Used only when the row creates the enrolment; an existing enrolment keeps its own.
ENROLMENT_COLUMNS = ["cohort", "enrolled_on"]
# For the people filling in the file; the learner is found by student_id or email.
NOTE_COLUMNS = ["name"]
# Written by the export for people reading it; recomputed from the levels on import, so ignored.
DERIVED_COLUMNS = ["total_points", "passed"]
NON_CRITERION_COLUMNS = {*IDENTITY_COLUMNS, *ENROLMENT_COLUMNS, *NOTE_COLUMNS, *DERIVED_COLUMNS}
TEMPLATE_COLUMNS = [
    "student_id", "email", "name", "program_code", "cohort", "enrolled_on", "assessor", "assessed_on",
    "evidence_url", "feedback",
]  # fmt: skip
# The template's example row carries this as its student_id; the importer skips the row and says so.
EXAMPLE_MARKER = "EXAMPLE (not imported)"
FORMATS = {".csv": "csv", ".xlsx": "xlsx"}
RESULTS_SHEET = "Results"  # the XLSX template's sheet of rows; its "Levels" sheet lists each criterion's levels
COHORT_MAX_LENGTH = Enrolment._meta.get_field("cohort").max_length


class Recording(enum.StrEnum):
    """How the import records results: drafts a person reviews and finalises, or final results at once."""

    DRAFT = "draft"
    FINAL = "final"


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
    recording: Recording = Recording.FINAL
    cohort: str = ""  # for a new enrolment
    enrolled_on: datetime.date | None = None  # for a new enrolment
    enrolled_on_given: bool = False  # False: the import date, as the file gave none
    draft: AssessmentAttempt | None = None  # the enrolment's open draft, which the row updates
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
            source = "" if self.enrolled_on_given else " (the import date: the file gives no enrolled_on)"
            cohort = f", cohort {self.cohort}" if self.cohort else ""
            return (
                f"Enrol in {self.program.code} on {self.enrolled_on.isoformat()}{source}{cohort}, "
                f"then record {self.recording} attempt: {outcome}"
            )
        if self.draft is not None:
            finalise = " and finalise it" if self.recording == Recording.FINAL else ""
            return f"Update draft attempt #{self.draft.number} (enrolment #{self.enrolment.pk}){finalise}: {outcome}"
        return f"Record {self.recording} attempt (enrolment #{self.enrolment.pk}): {outcome}"


@dataclass
class ImportPlan:
    recording: Recording = Recording.FINAL
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    # What finalising the passes sets off (final recording only), asked of the other apps before anything is saved.
    consequences: AchievementConsequences = field(default_factory=AchievementConsequences)

    @property
    def ok(self):
        return not self.errors and bool(self.rows)

    @property
    def new_enrolments(self):
        return [row for row in self.rows if row.creates_enrolment]

    @property
    def passed(self):
        return sum(1 for row in self.rows if row.passed)

    @property
    def issuing(self):
        """What finalising will issue, in words, or "" when nothing: "3 credentials requested and 1 stacked …"."""
        credentials, stacked = self.consequences.credentials, self.consequences.stacked_awards
        if not credentials:
            return ""
        text = f"{credentials} credential{_plural(credentials)} requested"
        if stacked:
            titles = ", ".join(dict.fromkeys(stacked))
            text += f" and {len(stacked)} stacked award{_plural(len(stacked))} ({titles}) once they are issued"
        return text

    def summary(self, filename):
        """The finish message: what was recorded and what it set off, truthful about issuing running later."""
        count = len(self.rows)
        if self.recording == Recording.DRAFT:
            updated = sum(1 for row in self.rows if row.draft is not None)
            changed = f" ({updated} of them updated open drafts)" if updated else ""
            return (
                f"Recorded {count} draft result{_plural(count)} from {filename} for review{changed}. Nothing is "
                "issued until they are finalised: select them in the list and choose “Finalise selected draft "
                "attempts”, or import the file again as final results."
            )
        text = (
            f"Imported {count} final result{_plural(count)} from {filename} "
            f"({self.passed} passed, {count - self.passed} did not)"
        )
        if not self.issuing:
            return text + "."
        return (
            f"{text}: {self.issuing}. Credentials are issued in the background; the credentials list shows each "
            "one once it is issued."
        )


def _plural(count):
    return "" if count == 1 else "s"


def load_dataset(content: bytes, filename: str) -> tablib.Dataset:
    extension = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in FORMATS:
        raise ValueError(f"Upload a .csv or .xlsx file, not “{filename}”.")
    if FORMATS[extension] == "csv":
        return tablib.Dataset().load(content.decode("utf-8-sig"), format="csv")
    book = tablib.Databook().load(content, format="xlsx")
    # The template's results sheet, whichever sheet was open when it was saved; else the first sheet.
    return next((sheet for sheet in book.sheets() if sheet.title == RESULTS_SHEET), book.sheets()[0])


def plan_import(
    dataset: tablib.Dataset, *, recording: Recording = Recording.FINAL, allow_new_enrolments: bool = True
) -> ImportPlan:
    """The dry run. A row for a learner with no enrolment plans a new one, or is an error if not allowed."""
    plan = ImportPlan(recording=Recording(recording))
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
        if not any(row.values()):
            continue  # a blank line, as spreadsheets leave below the data
        if _is_example(row):
            plan.warnings.append(RowError(line, "row", "The template's example row: ignored, never imported."))
            continue
        plan.warnings.extend(_formula_warnings(line, raw))
        planned = _plan_row(line, row, headers, lookups, plan.errors, allow_new_enrolments)
        if planned is None:
            continue
        planned.recording = plan.recording
        plan.warnings.extend(_kept_enrolment_warnings(line, row, planned))
        key = (planned.learner.pk, planned.program.code)
        if key in seen:
            plan.errors.append(RowError(line, "row", f"Duplicate of line {seen[key]} (same learner and program)."))
            continue
        seen[key] = line
        plan.rows.append(planned)
    if plan.ok and plan.recording == Recording.FINAL:
        plan.consequences = forecast_achievements([(row.learner.pk, row.program.pk) for row in plan.rows if row.passed])
    return plan


def _is_example(row):
    return EXAMPLE_MARKER.lower() in (row.get("student_id", "").lower(), row.get("email", "").lower())


def _kept_enrolment_warnings(line, row, planned):
    """An existing enrolment keeps its cohort and date; say so where the file gives others."""
    if planned.creates_enrolment:
        return []
    enrolment, warnings = planned.enrolment, []
    if row.get("cohort") and row["cohort"] != enrolment.cohort:
        kept = f"“{enrolment.cohort}”" if enrolment.cohort else "no cohort"
        warnings.append(RowError(line, "cohort", f"Enrolment #{enrolment.pk} keeps {kept}; the file's is not used."))
    if row.get("enrolled_on") and row["enrolled_on"] != enrolment.enrolled_on.isoformat():
        kept = enrolment.enrolled_on.isoformat()
        warnings.append(
            RowError(line, "enrolled_on", f"Enrolment #{enrolment.pk} keeps its date {kept}; the file's is not used.")
        )
    return warnings


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
        self.open_drafts = {
            draft.enrolment_id: draft
            for draft in AssessmentAttempt.objects.filter(
                status=AssessmentAttempt.Status.DRAFT, enrolment__learner__in=learners
            ).prefetch_related("evidence")
        }
        names = {r.get("assessor", "") for r in rows if r.get("assessor")}
        staff = (
            get_user_model()
            .objects.filter(is_staff=True)
            .filter(Q(username__in=names) | Q(email__in={n.lower() for n in names}))
        )
        self.assessors = {u.username: u for u in staff} | {u.email.lower(): u for u in staff if u.email}


def _plan_row(line, row, headers, lookups, errors, allow_new_enrolments):
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
    enrolment, draft, cohort, enrolled_on = None, None, "", None
    if learner is not None and program is not None:
        enrolment, problem = _enrolment_for(learner, code, lookups)
        if problem:
            error("program_code", problem)
        elif enrolment is None and not allow_new_enrolments:
            error("program_code", f"{learner.legal_name} is not enrolled in {code}.")
        elif enrolment is None:
            cohort, enrolled_on = _new_enrolment_terms(row, learner, code, assessed_on, error)
        else:
            draft = lookups.open_drafts.get(enrolment.pk)
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
        cohort=cohort,
        enrolled_on=enrolled_on,
        enrolled_on_given=bool(row.get("enrolled_on")),
        draft=draft,
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


def _row_date(row, error, column="assessed_on"):
    try:
        return datetime.date.fromisoformat(row.get(column, ""))
    except ValueError:
        error(column, f"“{row.get(column, '')}” is not a date (use YYYY-MM-DD).")
        return None


def _new_enrolment_terms(row, learner, code, assessed_on, error):
    """The cohort and date of the enrolment a row creates. The date is the file's enrolled_on, else the import
    date; it reaches the signed credential (activityStartDate) and the time-to-completion figures, so a date after
    the assessment is refused rather than recorded, and none is ever made up from the assessment date."""
    cohort = row.get("cohort", "")
    if len(cohort) > COHORT_MAX_LENGTH:
        error("cohort", f"The cohort is longer than {COHORT_MAX_LENGTH} characters.")
    if row.get("enrolled_on"):
        enrolled_on = _row_date(row, error, "enrolled_on")
        if enrolled_on and assessed_on and enrolled_on > assessed_on:
            error("enrolled_on", f"{enrolled_on.isoformat()} is after the assessment ({assessed_on.isoformat()}).")
        return cohort, enrolled_on
    today = timezone.localdate()
    if assessed_on and assessed_on < today:
        error(
            "enrolled_on",
            f"{learner.legal_name} is not enrolled in {code} and the file gives no enrolled_on: the import date "
            f"({today.isoformat()}) would come after the assessment ({assessed_on.isoformat()}). Give the date they "
            "enrolled (YYYY-MM-DD).",
        )
    return cohort, today


def _row_rubric(program, code, error):
    rubric = getattr(program, "rubric", None) if program else None
    if program is not None and rubric is None:
        error("program_code", f"{code} has no rubric.")
    return rubric


def _row_levels(row, headers, rubric, code, error):
    """criterion pk → level pk, and criterion name → level name for the preview, from the criterion columns."""
    levels, level_names = {}, {}
    criteria = {c.name.lower(): c for c in rubric.criteria.all()}
    columns = {}  # criterion pk → the column holding its level
    for column in headers:
        if column in NON_CRITERION_COLUMNS or not column:
            continue
        criterion = _criterion_of(column, criteria)
        if criterion is not None:
            columns.setdefault(criterion.pk, column)
        elif row.get(column):
            error(column, f"“{column}” is not a criterion of {code}.")
    for criterion in criteria.values():
        value = row.get(columns.get(criterion.pk, criterion.name), "")
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


def _criterion_of(column, criteria):
    """The criterion a column is for: named as the criterion, or as the template writes it, followed by its levels
    in parentheses ("Analysis (Excellent | Good | Fair | Poor)")."""
    key = column.lower()
    if key in criteria:
        return criteria[key]
    name, parenthesis, _ = key.rpartition(" (")
    return criteria.get(name) if parenthesis and key.endswith(")") else None


def criterion_header(criterion):
    return f"{criterion.name} ({' | '.join(level.name for level in criterion.levels.all())})"


def _find_learner(row, program, lookups):
    if row.get("student_id"):
        return lookups.by_student_id.get((program.institution_id, row["student_id"]))
    return lookups.by_email.get((program.institution_id, row.get("email", "").lower()))


def _enrolment_for(learner, code, lookups):
    enrolments = lookups.enrolments.get((learner.pk, code), [])
    if any(e.status == Enrolment.Status.COMPLETED for e in enrolments):
        return None, f"{learner.legal_name} has already completed {code}; record a correction in the admin instead."
    return next((e for e in enrolments if e.status in (*Enrolment.ACTIVE, Enrolment.Status.FAILED)), None), None


def apply_import(dataset, *, user, recording=Recording.FINAL, allow_new_enrolments=True, accept_new_enrolments=False):
    """Re-plan ``dataset`` and record every row, or nothing if any row has an error. Returns the plan.

    Rows that would create enrolments are applied only when the registrar accepted them explicitly. A row for an
    enrolment with an open draft updates that draft (and, recording final results, finalises it), so a file
    imported as drafts and then, reviewed, as final results does the natural thing.
    """
    with transaction.atomic():
        plan = plan_import(dataset, recording=recording, allow_new_enrolments=allow_new_enrolments)
        if plan.ok and plan.new_enrolments and not accept_new_enrolments:
            plan.errors.append(
                RowError(1, "file", f"{len(plan.new_enrolments)} row(s) create enrolments; accept them to import.")
            )
        if not plan.ok:
            return plan
        for row in plan.rows:
            _apply_row(row, user)
    return plan


def _apply_row(row, user):
    final = row.recording == Recording.FINAL
    rubric = row.program.rubric  # loaded with its criteria and levels by the plan
    if row.draft is not None:
        known_urls = {item.url for item in row.draft.evidence.all()}
        new_url = row.evidence_url and row.evidence_url not in known_urls
        attempt = services.attempt_update_draft(
            attempt=row.draft,
            levels=row.levels,
            feedback=row.feedback or row.draft.feedback,  # an empty cell keeps the reviewer's words
            assessed_on=row.assessed_on,
            user=user,
            assessor=row.assessor,
            evidence=[services.EvidenceSpec(title="Submitted work", url=row.evidence_url)] if new_url else [],
            rubric=rubric,
        )
        if final:
            services.attempt_finalise(attempt=attempt, user=user)
        return
    enrolment = row.enrolment or services.enrolment_create(
        learner=row.learner, program=row.program, cohort=row.cohort, enrolled_on=row.enrolled_on
    )
    services.attempt_record(
        enrolment=enrolment,
        assessor=row.assessor,
        levels=row.levels,
        assessed_on=row.assessed_on,
        recorded_by=user,
        feedback=row.feedback,
        evidence=[services.EvidenceSpec(title="Submitted work", url=row.evidence_url)] if row.evidence_url else [],
        finalise=final,
        rubric=rubric,
    )


def export_results(attempts) -> tablib.Dataset:
    """Final attempts as a dataset in the import format (so an export can be re-imported elsewhere, enrolment dates
    and cohorts included)."""
    attempts = list(attempts)
    criterion_names = []
    for attempt in attempts:
        for score in attempt.scores.all():
            if score.criterion.name not in criterion_names:
                criterion_names.append(score.criterion.name)
    dataset = tablib.Dataset(
        headers=escape_row(IDENTITY_COLUMNS + ENROLMENT_COLUMNS + DERIVED_COLUMNS + criterion_names)
    )
    for attempt in attempts:
        learner, enrolment = attempt.enrolment.learner, attempt.enrolment
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
                    enrolment.cohort,
                    enrolment.enrolled_on.isoformat(),
                    f"{attempt.total_points.normalize():f}",
                    "yes" if attempt.passed else "no",
                ]
                + [chosen.get(name, "") for name in criterion_names]
            )
        )
    return dataset


@dataclass(frozen=True)
class ImportTemplate:
    """The import file for one program: its columns, each criterion's levels, and an example row that the import
    recognises and skips."""

    program: Program
    criteria: list  # with their levels loaded
    example: list

    @property
    def headers(self):
        return TEMPLATE_COLUMNS + [criterion_header(criterion) for criterion in self.criteria]

    def csv(self) -> str:
        return tablib.Dataset(escape_row(self.example), headers=escape_row(self.headers)).export("csv")

    def xlsx(self) -> bytes:
        """The same sheet, plus a Levels sheet listing each criterion's levels, which each criterion column offers
        as a drop-down list (data validation) so a misspelt level cannot be typed."""
        book = openpyxl.Workbook()
        results = book.active
        results.title = RESULTS_SHEET
        results.append(escape_row(self.headers))
        results.append(escape_row(self.example))
        for cell in results[1]:
            cell.font = Font(bold=True)
        for cell in results[2]:
            cell.font = Font(italic=True, color="666666")
        results.freeze_panes = "A2"
        levels = book.create_sheet("Levels")
        first = len(TEMPLATE_COLUMNS) + 1
        for offset, criterion in enumerate(self.criteria):
            names = [level.name for level in criterion.levels.all()]
            letter = get_column_letter(offset + 1)
            levels[f"{letter}1"] = escape_cell(criterion.name)
            levels[f"{letter}1"].font = Font(bold=True)
            for row_number, name in enumerate(names, start=2):
                levels[f"{letter}{row_number}"] = escape_cell(name)
            choice = DataValidation(
                type="list",
                formula1=f"Levels!${letter}$2:${letter}${len(names) + 1}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Unknown level",
                error=f"Choose one of: {', '.join(names)}.",
            )
            column = get_column_letter(first + offset)
            choice.add(f"{column}2:{column}10000")
            results.add_data_validation(choice)
        for index, header in enumerate(self.headers, start=1):
            results.column_dimensions[get_column_letter(index)].width = max(12, min(len(header) + 2, 40))
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()


def import_template(program, *, assessor) -> ImportTemplate:
    """The import file for ``program``; its example row is filled in as ``assessor`` would, dated today."""
    criteria = list(program.rubric.criteria.prefetch_related("levels")) if hasattr(program, "rubric") else []
    today = timezone.localdate()
    cohort = (
        Enrolment.objects.filter(program__code=program.code)
        .exclude(cohort="")
        .order_by("-enrolled_on")
        .values_list("cohort", flat=True)
        .first()
    ) or f"{today.year}-autumn"
    best = [max(criterion.levels.all(), key=lambda level: level.points, default=None) for criterion in criteria]
    example = [
        EXAMPLE_MARKER,
        "learner@example.org",
        "Example Learner",
        program.code,
        cohort,
        today.replace(day=1).isoformat(),
        assessor.username,
        today.isoformat(),
        "https://example.org/portfolio",
        "What went well, then what to work on.",
        *(level.name if level else "" for level in best),
    ]
    return ImportTemplate(program, criteria, example)
