"""The registrar's front page (the admin's index): what needs doing, what happened lately, and the admin's models
grouped by the task they serve.

A figure is shown only to a user who may view its model. Each model's figures come from one aggregate query, so
the page costs the same number of queries whatever the registry holds.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext_noop

from awards.models import Award, ForeignCredential, IssuanceBatch
from catalog import selectors as catalog_selectors
from catalog.models import Pathway, Program, ProgramApproval, ProgramDecision
from learners import services as learner_services
from learners.models import AssessmentAttempt
from quality.models import ProgramReview
from quality.selectors import REVIEW_HORIZON_DAYS
from quality.services import review_due_on

from .models import ExportJob

ACTIVITY_DAYS = 7
ACTIVITY_ENTRIES = 12
RECENT_BATCHES = 5

# The registrar's tasks, which group the admin's navigation (TASK_GROUPS below). Labels here stay English keys;
# the front page's template translates them (gettext_noop only marks them for makemessages).
CATALOG = gettext_noop("Catalog")
LEARNERS = gettext_noop("Learners & results")
CREDENTIALS = gettext_noop("Credentials")
QUALITY = gettext_noop("Quality & reports")
INTEGRATIONS = gettext_noop("Integrations & keys")
SETTINGS = gettext_noop("Settings")


@dataclass(frozen=True)
class Task:
    """Something waiting for the registrar: how many, and the admin list that shows exactly those."""

    label: str
    count: int
    url: str


@dataclass(frozen=True)
class Link:
    """A page beyond the model lists, shown in its task's group of the navigation."""

    label: str
    url: str
    group: str = ""  # none: shown beside the dashboard


@dataclass
class Dashboard:
    tasks: list[Task] = field(default_factory=list)
    activity: list[LogEntry] = field(default_factory=list)
    batches: list[IssuanceBatch] = field(default_factory=list)
    decisions: list[ProgramDecision] = field(default_factory=list)  # on programs the user submitted
    links: list[Link] = field(default_factory=list)


def _changelist(model, **filters) -> str:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def _may_view(user, model) -> bool:
    return user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")


def registrar_dashboard(user, now=None) -> Dashboard:
    """Everything the front page shows ``user``, in a fixed number of queries."""
    now = now or timezone.now()
    dashboard = Dashboard()
    dashboard.tasks = [
        *_program_tasks(user),
        *_pathway_tasks(user),
        *_attempt_tasks(user),
        *_award_tasks(user, now),
        *_foreign_credential_tasks(user),
        *_review_tasks(user, now),
        *_export_tasks(user),
    ]
    dashboard.activity = _activity(user, now)
    if _may_view(user, IssuanceBatch):
        dashboard.batches = _recent_batches()
    if _may_view(user, Program):
        dashboard.decisions = catalog_selectors.decisions_for_submitter(user)
    dashboard.links = _links(user)
    return dashboard


def _program_tasks(user):
    if not _may_view(user, Program):
        return []
    counts = Program.objects.aggregate(
        drafts=Count("pk", filter=Q(status=Program.Status.DRAFT, created_by=user)),
        in_review=Count("pk", filter=Q(status=Program.Status.IN_REVIEW)),
    )
    drafts = _changelist(Program, status__exact="draft", created_by=user.pk)
    tasks = [Task(gettext_noop("Your programs in draft"), counts["drafts"], drafts)]
    if user.has_perm("catalog.approve_program"):
        # The approver's queue (catalog/admin/approvals.py) lists exactly the programs in review.
        tasks.append(
            Task(gettext_noop("Programs awaiting approval"), counts["in_review"], _changelist(ProgramApproval))
        )
    return tasks


def _pathway_tasks(user):
    if not (_may_view(user, Pathway) and user.has_perm("catalog.approve_pathway")):
        return []
    count = Pathway.objects.filter(status=Program.Status.IN_REVIEW).count()
    return [Task(gettext_noop("Pathways awaiting approval"), count, _changelist(Pathway, status__exact="in_review"))]


def _attempt_tasks(user):
    if not _may_view(user, AssessmentAttempt):
        return []
    count = AssessmentAttempt.objects.filter(status=AssessmentAttempt.Status.DRAFT).count()
    return [
        Task(
            gettext_noop("Assessment attempts to finalise"),
            count,
            _changelist(AssessmentAttempt, status__exact="draft"),
        )
    ]


def _award_tasks(user, now):
    if not _may_view(user, Award):
        return []
    # The same definitions as the award list's filters (awards/admin.py), so each count matches its link.
    good_standing = Q(status=Award.Status.ISSUED, revoked_at__isnull=True)
    counts = Award.objects.aggregate(
        pending=Count("pk", filter=Q(status=Award.Status.PENDING)),
        failed=Count("pk", filter=Q(status=Award.Status.FAILED)),
        certificates_failed=Count("pk", filter=good_standing & Q(certificate="") & ~Q(certificate_error="")),
        expiring_30=Count("pk", filter=good_standing & Q(valid_until__gt=now, valid_until__lte=now + timedelta(30))),
        expiring_60=Count("pk", filter=good_standing & Q(valid_until__gt=now, valid_until__lte=now + timedelta(60))),
    )
    return [
        Task(
            gettext_noop("Credentials waiting to be issued"),
            counts["pending"],
            _changelist(Award, status__exact="pending"),
        ),
        Task(
            gettext_noop("Credentials that failed to issue"),
            counts["failed"],
            _changelist(Award, status__exact="failed"),
        ),
        Task(
            gettext_noop("Certificates that failed to render"),
            counts["certificates_failed"],
            _changelist(Award, certificate="failed"),
        ),
        Task(
            gettext_noop("Credentials expiring within 30 days"),
            counts["expiring_30"],
            _changelist(Award, expires_within="30"),
        ),
        Task(
            gettext_noop("Credentials expiring within 60 days"),
            counts["expiring_60"],
            _changelist(Award, expires_within="60"),
        ),
    ]


def _foreign_credential_tasks(user):
    if not _may_view(user, ForeignCredential):
        return []
    count = ForeignCredential.objects.filter(status=ForeignCredential.Status.PENDING).count()
    return [
        Task(
            gettext_noop("Credentials from other issuers awaiting recognition"),
            count,
            _changelist(ForeignCredential, status__exact="pending"),
        )
    ]


def _review_tasks(user, now):
    """Published programs due for review within the quality dashboard's horizon, by its rule (review_due_on)."""
    if not user.has_perm("quality.view_outcomes"):
        return []
    latest = ProgramReview.objects.filter(program=OuterRef("pk")).order_by("-reviewed_at", "-pk")
    published = Program.objects.filter(status=Program.Status.PUBLISHED).annotate(
        next_review_on=Subquery(latest.values("next_review_on")[:1])
    )
    horizon = timezone.localdate(now) + timedelta(days=REVIEW_HORIZON_DAYS)
    due = 0
    for program in published.only("pk", "published_at"):
        # review_due_on reads only the latest review's date; a stand-in carries it without loading the review.
        latest_review = ProgramReview(next_review_on=program.next_review_on) if program.next_review_on else None
        due_on = review_due_on(program, latest_review)
        due += bool(due_on and due_on <= horizon)
    return [Task(gettext_noop("Programs due for review"), due, reverse("quality:dashboard") + "#review-heading")]


def _export_tasks(user):
    """The user's finished exports, waiting to be downloaded (the export list shows each user their own)."""
    if not _may_view(user, ExportJob):
        return []
    count = ExportJob.objects.filter(created_by=user, status=ExportJob.Status.DONE).count()
    return [Task(gettext_noop("Your exports ready to download"), count, _changelist(ExportJob, status__exact="done"))]


def _activity(user, now):
    """The admin's change log of the last days, across the team, limited to models ``user`` may view."""
    viewable = Q()
    for permission in user.get_all_permissions():
        app_label, codename = permission.split(".", 1)
        if codename.startswith("view_"):
            viewable |= Q(app_label=app_label, model=codename.removeprefix("view_"))
    if not viewable:
        return []
    return list(
        LogEntry.objects.filter(
            action_time__gte=now - timedelta(days=ACTIVITY_DAYS),
            content_type__in=ContentType.objects.filter(viewable),
        )
        .select_related("user", "content_type")
        .order_by("-action_time")[:ACTIVITY_ENTRIES]
    )


def _recent_batches():
    return list(
        IssuanceBatch.objects.select_related("created_by")
        .annotate(
            issued=Count("awards", filter=Q(awards__status=Award.Status.ISSUED)),
            failed=Count("awards", filter=Q(awards__status=Award.Status.FAILED)),
            pending=Count("awards", filter=Q(awards__status=Award.Status.PENDING)),
        )
        .order_by("-created_at")[:RECENT_BATCHES]
    )


def _links(user):
    """The pages beyond the model lists: the results import, the quality dashboard and the public site."""
    links = []
    if user.has_perm(learner_services.RECORD_PERMISSION):  # drafts need no more; final results ask for finalising
        links.append(
            Link(
                gettext_noop("Import assessment results"), reverse("admin:learners_assessmentattempt_import"), LEARNERS
            )
        )
    if user.has_perm("quality.view_outcomes"):
        links.append(Link(gettext_noop("Outcomes and quality dashboard"), reverse("quality:dashboard"), QUALITY))
    links.append(Link(gettext_noop("The public site"), reverse("catalog:program-list")))
    return links


# The admin's models grouped by the registrar's tasks rather than by app: (group, models in the order shown).
# A model not named here falls into its app's group, else into Settings.
TASK_GROUPS = {
    CATALOG: [
        "catalog.programapproval", "catalog.program", "catalog.programdecision", "catalog.rubric", "catalog.pathway",
        "catalog.competency", "catalog.skillframework", "catalog.competencymapping", "catalog.alignment",
        "catalog.criterion", "catalog.level", "catalog.pathwayrule", "catalog.creditrecognition",
        "catalog.transferagreement", "catalog.subjectarea", "catalog.tag", "guidance.occupation",
    ],
    LEARNERS: ["learners.learner", "learners.enrolment", "learners.assessmentattempt"],
    CREDENTIALS: [
        "awards.award", "awards.issuancebatch", "awards.foreigncredential", "awards.certificatetemplate",
        "awards.endorsement", "awards.emailtemplate", "awards.notice",
    ],
    QUALITY: [
        "quality.programreview", "quality.surveyresponse", "quality.outcomefollowup", "quality.employerfeedback",
        "workspace.exportjob",
    ],
    INTEGRATIONS: [
        "partners.partnerorganisation", "partners.partnerapikey", "partners.share", "partners.accesslog",
        "partners.webhookdelivery", "awards.issuerapikey", "awards.vcapiissuance", "awards.signingkey",
        "wallets.walletoffer", "wallets.walletcopy", "wallets.registeredclient", "rest_framework_api_key.apikey",
    ],
    SETTINGS: ["catalog.institution", "auth.user", "auth.group", "account.emailaddress", "sites.site"],
}  # fmt: skip
APP_GROUPS = {
    "catalog": CATALOG,
    "guidance": CATALOG,
    "learners": LEARNERS,
    "awards": CREDENTIALS,
    "quality": QUALITY,
    "workspace": QUALITY,
    "partners": INTEGRATIONS,
    "wallets": INTEGRATIONS,
}


@dataclass
class NavigationGroup:
    name: str
    models: list[dict] = field(default_factory=list)  # entries of the admin's app list, as its templates use them
    links: list[Link] = field(default_factory=list)

    @property
    def slug(self):
        return slugify(self.name)


def navigation(app_list, links=()) -> list[NavigationGroup]:
    """The admin's app list (already limited to what the user may see) regrouped by task, with the task's other
    pages (``links``); empty groups are left out."""
    position = {label: (group, index) for group, labels in TASK_GROUPS.items() for index, label in enumerate(labels)}
    groups = {name: [] for name in TASK_GROUPS}
    for app in app_list:
        for entry in app["models"]:
            label = entry["model"]._meta.label_lower
            group, index = position.get(label, (APP_GROUPS.get(app["app_label"], SETTINGS), len(position)))
            row_id = f"{slugify(group)}-{label.replace('.', '-')}"  # labels the row's Add and Change links
            groups[group].append((index, str(entry["name"]), {**entry, "row_id": row_id}))
    return [
        NavigationGroup(
            name,
            [entry for *_, entry in sorted(entries, key=lambda item: item[:2])],
            [link for link in links if link.group == name],
        )
        for name, entries in groups.items()
        if entries or any(link.group == name for link in links)
    ]
