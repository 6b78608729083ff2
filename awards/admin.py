import json
from datetime import timedelta
from typing import NamedTuple

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template import Context, Engine, TemplateSyntaxError
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from config.readonly_admin import ReadOnlyAdmin
from learners.admin import EnrolmentAdmin
from learners.admin_filters import DatePresetsFilter, PathwayFilter, unaccented
from learners.models import Enrolment

from . import certificates, services, transfer, verification
from .files import certificate_response, credential_response
from .models import (
    Award,
    CertificateTemplate,
    EmailTemplate,
    Endorsement,
    ForeignCredential,
    IssuanceBatch,
    IssuerAPIKey,
    Notice,
    Signatory,
    SigningKey,
    VCAPIIssuance,
)
from .selectors import award_dependents, award_relations, issuing_outcome
from .vcapi import services as vcapi_services


def _text(error):
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


def issuing_outcome_text(counts):
    """The outcome as a registrar reads it, e.g. “6 credentials issued, 0 failed.”, with what is still queued."""
    issued = ngettext("%(count)d credential", "%(count)d credentials", counts["issued"]) % {"count": counts["issued"]}
    text = gettext("%(credentials)s issued, %(failed)d failed") % {"credentials": issued, "failed": counts["failed"]}
    if counts["pending"]:
        text += gettext("; %(pending)d queued for issuing") % {"pending": counts["pending"]}
    return text + "."


DOWNLOAD_PERMISSION = "awards.download_award_files"


class ReissueForm(forms.Form):
    reason = forms.CharField(
        label=_("What was corrected"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Kept in the replaced credential's history, e.g. “Legal name misspelt; corrected in the learner "
            "record at the learner's request.”"
        ),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Internal reason"), widget=forms.Textarea(attrs={"rows": 3}), help_text=_("Kept in the audit trail.")
    )
    public_reason = forms.CharField(
        label=_("Public statement"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown on the public verification page (revoke and suspend only). Leave empty to show none."),
    )


class StandingFilter(admin.SimpleListFilter):
    title = _("standing")
    parameter_name = "standing"

    def lookups(self, request, model_admin):
        return [
            ("valid", _("Valid")),
            ("suspended", _("Suspended")),
            ("revoked", _("Revoked")),
            ("expired", _("Expired")),
        ]

    def queryset(self, request, queryset):
        return queryset.with_standing(self.value()) if self.value() else queryset


class ExpiresFilter(admin.SimpleListFilter):
    """What expires soon: credentials in good standing whose validity ends within the chosen window."""

    title = _("expires")
    parameter_name = "expires_within"

    def lookups(self, request, model_admin):
        return [("30", _("Within 30 days")), ("60", _("Within 60 days")), ("90", _("Within 90 days"))]

    def queryset(self, request, queryset):
        if self.value() not in ("30", "60", "90"):
            return queryset
        return queryset.expiring(within=timedelta(days=int(self.value())))


class CertificateFilter(admin.SimpleListFilter):
    title = _("certificate")
    parameter_name = "certificate"

    def lookups(self, request, model_admin):
        return [("failed", _("Failed")), ("rendering", _("Rendering"))]

    def queryset(self, request, queryset):
        missing = queryset.issued().filter(certificate="", revoked_at__isnull=True)
        if self.value() == "failed":
            return missing.exclude(certificate_error="")
        if self.value() == "rendering":
            return missing.filter(certificate_error="")
        return queryset


STATUS_ACTIONS = {
    "revoke": (_("Revoke"), services.award_revoke),
    "suspend": (_("Suspend"), services.award_suspend),
    "unsuspend": (_("Reinstate (unsuspend)"), services.award_unsuspend),
    "renew": (_("Renew"), services.award_renew),
}


class Button(NamedTuple):
    """An action on the credential's page: a link to a page (GET) or a form that does it at once (POST)."""

    label: str
    url: str
    post: bool = False


@admin.register(Award)
class AwardAdmin(SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "program",
        "status",
        "standing",
        "certificate_state",
        "issued_at",
        "valid_until",
        "batch",
    ]
    list_filter = [
        "status", StandingFilter, ExpiresFilter, CertificateFilter, ("issued_at", DatePresetsFilter),
        "program__achievement_type", "program", PathwayFilter, "enrolment__cohort", "batch",
    ]  # fmt: skip
    search_fields = [
        "id", *unaccented("learner__legal_name", "learner__display_name", "learner__email", "learner__student_id",
                          "program__code", "program__title"),
    ]  # fmt: skip
    list_select_related = ["learner", "program", "batch"]
    # The page is a summary (its template) with buttons for the registrar's actions; only sharing is a field.
    change_form_template = "admin/awards/award/change_form.html"
    fields = ["sharing"]
    actions = ["retry", "render_certificate_again", "revoke", "suspend", "unsuspend", "renew"]

    def has_add_permission(self, request):
        return False  # awards are requested by the services, never typed in

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Standing"))
    def standing(self, obj):
        if obj.status == Award.Status.FAILED:
            return gettext("Failed: %(error)s") % {"error": obj.error[:80]}
        if obj.status == Award.Status.PENDING:
            return gettext("Not issued yet")
        return capfirst(obj.standing_display)

    @admin.display(description=_("Certificate"))
    def certificate_state(self, obj):
        if obj.status != Award.Status.ISSUED or obj.is_revoked:
            return "—"
        if obj.certificate:
            return gettext("Ready")
        if obj.certificate_error:
            return gettext("Failed: %(error)s") % {"error": obj.certificate_error[:200]}
        return gettext("Rendering")

    @admin.action(description=_("Issue again (failed or pending)"), permissions=["issue"])
    def retry(self, request, queryset):
        retried = self._each(request, queryset, services.award_retry)
        if retried:
            self._report_issuing(request, retried)

    def _report_issuing(self, request, awards):
        """Say what became of the awards sent for issuing: issued and failed when the worker already ran (eager
        issuing), otherwise how many wait for it and where their batch's progress shows."""
        counts = issuing_outcome([award.pk for award in awards])
        text = issuing_outcome_text(counts)
        batches = {award.batch_id for award in awards}
        if counts["pending"] and len(batches) == 1 and None not in batches:
            url = reverse("admin:awards_issuancebatch_progress", args=[batches.pop()])
            self.message_user(request, format_html('{} <a href="{}">{}</a>.', text, url, gettext("See the batch page")))
        elif counts["pending"]:
            self.message_user(
                request,
                gettext("%(outcome)s Reload the page to see the outcome once a worker has signed them.")
                % {"outcome": text},
            )
        else:
            level = messages.WARNING if counts["failed"] else messages.SUCCESS
            self.message_user(request, text, level)

    @admin.action(description=_("Render the certificate again"), permissions=["issue"])
    def render_certificate_again(self, request, queryset):
        queued = self._each(request, queryset, services.certificate_retry)
        if queued:
            message = ngettext(
                "%(count)d certificate queued for rendering.",
                "%(count)d certificates queued for rendering.",
                len(queued),
            )
            self.message_user(request, message % {"count": len(queued)})

    def _each(self, request, queryset, operation):
        """Apply a service to each selected award; report each refusal; return the awards it succeeded for."""
        done = []
        for award in queryset:
            try:
                operation(award=award, user=request.user)
                done.append(award)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(
                    request, gettext("%(award)s: %(error)s") % {"award": award, "error": _text(error)}, messages.ERROR
                )
        return done

    def has_issue_permission(self, request):
        return request.user.has_perm(services.ISSUE_PERMISSION)

    def has_revoke_permission(self, request):
        return request.user.has_perm(services.REVOKE_PERMISSION)

    def has_download_permission(self, request):
        return request.user.has_perm(DOWNLOAD_PERMISSION)

    @admin.action(description=_("Revoke…"), permissions=["revoke"])
    def revoke(self, request, queryset):
        return self._status_change(request, queryset, "revoke")

    @admin.action(description=_("Suspend…"), permissions=["revoke"])
    def suspend(self, request, queryset):
        return self._status_change(request, queryset, "suspend")

    @admin.action(description=_("Reinstate suspended…"), permissions=["revoke"])
    def unsuspend(self, request, queryset):
        return self._status_change(request, queryset, "unsuspend")

    @admin.action(description=_("Renew (approved continuing practice or new assessment)…"), permissions=["issue"])
    def renew(self, request, queryset):
        return self._status_change(request, queryset, "renew")

    def _status_change(self, request, queryset, action, return_url=None):
        """An intermediate page asks for the mandatory reason, then applies the change to each award; from one
        credential's page (``return_url``), it goes back there afterwards."""
        label, operation = STATUS_ACTIONS[action]
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        withdraws = action in ("revoke", "suspend")
        if not withdraws:
            del form.fields["public_reason"]  # a reinstated or renewed credential shows no statement
        if action == "renew":
            form.fields["reason"].label = gettext("Basis of the renewal")
            form.fields["reason"].help_text = gettext(
                "What the assessor approved; stated in the new credential's evidence."
            )
        if form.is_valid():
            done = 0
            options = {}
            if withdraws:
                options = {
                    "public_reason": form.cleaned_data["public_reason"],
                    "suspend_dependents": request.POST.getlist("suspend_dependent"),
                }
            for award in queryset:
                try:
                    operation(award=award, user=request.user, reason=form.cleaned_data["reason"], **options)
                    done += 1
                except (ValidationError, PermissionDenied) as error:
                    self.message_user(
                        request,
                        gettext("%(award)s: %(error)s") % {"award": award, "error": _text(error)},
                        messages.ERROR,
                    )
            if done:
                message = ngettext(
                    "%(action)s: %(count)d credential; the status list is updated.",
                    "%(action)s: %(count)d credentials; the status list is updated.",
                    done,
                )
                self.message_user(request, message % {"action": label, "count": done})
            return redirect(return_url) if return_url else None
        context = {
            **self.admin_site.each_context(request),
            "title": (gettext("%(action)s credential") if return_url else gettext("%(action)s credentials"))
            % {"action": label},
            "opts": self.model._meta,
            "form": form,
            "awards": queryset,
            "dependents": [d for award in queryset for d in award_dependents(award)] if withdraws else [],
            "action": action,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "return_url": return_url,
        }
        return TemplateResponse(request, "admin/awards/award/status_change.html", context)

    # The credential's own page ------------------------------------------------------------------------------------

    def get_urls(self):
        def view(method, **kwargs):
            return self.admin_site.admin_view(method), kwargs

        return [
            *(
                path(f"<path:object_id>/{action}/", *view(self.status_change_view, action=action),
                     name=f"awards_award_{action}")
                for action in STATUS_ACTIONS
            ),
            path("<path:object_id>/reissue/", *view(self.reissue_view), name="awards_award_reissue"),
            path("<path:object_id>/retry/", *view(self.retry_view), name="awards_award_retry"),
            path("<path:object_id>/resend-notice/", *view(self.resend_notice_view), name="awards_award_resend_notice"),
            path("<path:object_id>/render-certificate/", *view(self.render_certificate_view),
                 name="awards_award_render_certificate"),
            path("<path:object_id>/certificate.pdf", *view(self.certificate_view), name="awards_award_certificate"),
            path("<path:object_id>/credential.json", *view(self.credential_view), name="awards_award_credential"),
            *super().get_urls(),
        ]  # fmt: skip

    def _award(self, request, object_id, permitted):
        award = self.get_object(request, unquote(object_id))
        if award is None:
            raise Http404(gettext("No such credential."))
        if not (self.has_view_permission(request, award) and permitted):
            raise PermissionDenied
        return award

    def _change_url(self, award):
        return reverse("admin:awards_award_change", args=[quote(award.pk)])

    def status_change_view(self, request, object_id, action):
        permitted = self.has_issue_permission(request) if action == "renew" else self.has_revoke_permission(request)
        award = self._award(request, object_id, permitted)
        return self._status_change(request, Award.objects.filter(pk=award.pk), action, self._change_url(award))

    def reissue_view(self, request, object_id):
        permitted = self.has_issue_permission(request) and self.has_revoke_permission(request)
        award = self._award(request, object_id, permitted)
        form = ReissueForm(request.POST or None)
        if form.is_valid():
            try:
                replacement, created = services.award_reissue(
                    award=award, user=request.user, reason=form.cleaned_data["reason"]
                )
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, _text(error), messages.ERROR)
                return redirect(self._change_url(award))
            if created:
                self.log_change(request, award, f"Re-issued after a correction: {form.cleaned_data['reason']}")
                self.message_user(
                    request,
                    gettext(
                        "The credential is revoked as replaced, and the learner is told once the corrected one is "
                        "signed: %(outcome)s"
                    )
                    % {"outcome": issuing_outcome_text(issuing_outcome([replacement.pk]))},
                )
            else:
                self.message_user(request, _("This credential was already re-issued; this is its replacement."))
            return redirect(self._change_url(replacement))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Re-issue after a correction"),
            "opts": self.model._meta,
            "award": award,
            "form": form,
            "return_url": self._change_url(award),
            "learner_url": reverse("admin:learners_learner_change", args=[award.learner_id]),
            "program_url": reverse("admin:catalog_program_change", args=[award.program_id]),
        }
        return TemplateResponse(request, "admin/awards/award/reissue.html", context)

    def _post_action(self, request, object_id, permitted, operation):
        award = self._award(request, object_id, permitted)
        try:
            operation(award)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, _text(error), messages.ERROR)
        return redirect(self._change_url(award))

    @method_decorator(require_POST)
    def retry_view(self, request, object_id):
        def retry(award):
            services.award_retry(award=award, user=request.user)
            self._report_issuing(request, [award])

        return self._post_action(request, object_id, self.has_issue_permission(request), retry)

    @method_decorator(require_POST)
    def resend_notice_view(self, request, object_id):
        def resend(award):
            event = services.notice_resend(award=award, user=request.user).get_event_display()
            self.log_change(request, award, f"Re-sent the learner's notice “{event}”.")
            self.message_user(
                request,
                gettext("The notice “%(event)s” is queued for %(email)s.")
                % {"event": event, "email": award.learner.email},
            )

        return self._post_action(request, object_id, self.has_issue_permission(request), resend)

    @method_decorator(require_POST)
    def render_certificate_view(self, request, object_id):
        def render(award):
            services.certificate_retry(award=award, user=request.user)
            self.message_user(request, _("The certificate is queued for rendering."))

        return self._post_action(request, object_id, self.has_issue_permission(request), render)

    def certificate_view(self, request, object_id):
        award = self._award(request, object_id, self.has_download_permission(request))
        response = certificate_response(award)
        self.log_change(request, award, "Downloaded the PDF certificate.")
        return response

    def credential_view(self, request, object_id):
        award = self._award(request, object_id, self.has_download_permission(request))
        response = credential_response(award)
        self.log_change(request, award, "Downloaded the signed credential (JSON).")
        return response

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            relations = award_relations(obj)
            document = json.loads(obj.credential) if obj.credential else None
            context.update(
                award=obj,
                relations=relations,
                # Checked on this page only, never in the list: it costs a signature check and the status lists.
                verdict=verification.verify(document) if document else None,
                signed_json=json.dumps(document, indent=2, ensure_ascii=False) if document else "",
                certificate=self.certificate_state(obj),
                buttons=self._buttons(request, obj, relations),
            )
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def _buttons(self, request, award, relations):
        """The actions possible on ``award`` now that the user may take, in the order a registrar reaches for them."""

        def url(name):
            return reverse(f"admin:awards_award_{name}", args=[quote(award.pk)])

        issuer, revoker = self.has_issue_permission(request), self.has_revoke_permission(request)
        downloader = self.has_download_permission(request)
        issued = award.status == Award.Status.ISSUED
        live = issued and not award.is_revoked
        candidates = [
            (revoker and live, Button(gettext("Revoke…"), url("revoke"))),
            (revoker and live and not award.is_suspended, Button(gettext("Suspend…"), url("suspend"))),
            (revoker and award.is_suspended, Button(gettext("Reinstate…"), url("unsuspend"))),
            (issuer and not issued, Button(gettext("Issue again"), url("retry"), post=True)),
            (issuer and relations.latest_notice is not None and relations.replacement is None,
             Button(gettext("Re-send the learner's notice"), url("resend_notice"), post=True)),
            (issuer and revoker and issued and award.standing == "valid",
             Button(gettext("Re-issue after a correction…"), url("reissue"))),
            (issuer and live and relations.renewal is None, Button(gettext("Renew…"), url("renew"))),
            (issuer and live and not award.certificate and award.certificate_error,
             Button(gettext("Render the certificate again"), url("render_certificate"), post=True)),
            (downloader and live and award.certificate,
             Button(gettext("Download PDF certificate"), url("certificate"))),
            (downloader and issued, Button(gettext("Download signed credential (JSON)"), url("credential"))),
            (issued, Button(gettext("Open public page"), award.get_absolute_url())),
        ]  # fmt: skip
        return [button for shown, button in candidates if shown]


def _batch_counts(batch):
    return {"issued": batch.issued_count, "failed": batch.failed_count, "pending": batch.pending_count}


@admin.register(IssuanceBatch)
class IssuanceBatchAdmin(admin.ModelAdmin):
    list_display = ["label", "created_by", "created_at", "issued", "failed", "pending"]
    readonly_fields = ["label", "created_by", "created_at", "outcome", "progress"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("created_by")
            .annotate(
                issued_count=Count("awards", filter=Q(awards__status=Award.Status.ISSUED)),
                failed_count=Count("awards", filter=Q(awards__status=Award.Status.FAILED)),
                pending_count=Count("awards", filter=Q(awards__status=Award.Status.PENDING)),
            )
        )

    @admin.display(description=_("Issued"))
    def issued(self, obj):
        return obj.issued_count

    @admin.display(description=_("Failed"))
    def failed(self, obj):
        return obj.failed_count

    @admin.display(description=_("Pending"))
    def pending(self, obj):
        return obj.pending_count

    @admin.display(description=_("Outcome"))
    def outcome(self, obj):
        return issuing_outcome_text(_batch_counts(obj))

    @admin.display(description=_("Progress"))
    def progress(self, obj):
        url = reverse("admin:awards_issuancebatch_progress", args=[obj.pk])
        return format_html('<a href="{}">Live progress</a>', url)

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        return [
            path(
                "<int:pk>/progress/",
                self.admin_site.admin_view(self.progress_view),
                name="awards_issuancebatch_progress",
            ),
        ] + super().get_urls()

    def progress_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        batch = self.get_queryset(request).get(pk=pk)
        total = batch.issued_count + batch.failed_count + batch.pending_count
        failures = batch.awards.filter(status=Award.Status.FAILED).select_related("learner", "program")[:50]
        context = {
            **self.admin_site.each_context(request),
            "title": f"Issuing: {batch.label}",
            "opts": self.model._meta,
            "batch": batch,
            "total": total,
            "done": batch.issued_count + batch.failed_count == total,
            "outcome": issuing_outcome_text(_batch_counts(batch)),
            "failures": failures,
        }
        return TemplateResponse(request, "admin/awards/issuancebatch/progress.html", context)


@admin.register(SigningKey)
class SigningKeyAdmin(SimpleHistoryAdmin):
    list_display = ["key_id", "status", "created_at", "retired_at", "compromised_at"]
    list_filter = ["status"]
    readonly_fields = ["key_id", "public_key_multibase", "status", "created_at", "retired_at", "compromised_at"]

    def has_add_permission(self, request):
        return False  # keys are generated with `manage.py signing_keys generate`

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.action(description=_("Issue credentials for completed enrolments"), permissions=["issue"])
def issue_credentials(modeladmin, request, queryset):
    """Bulk cohort issue: one batch, one award request per completed enrolment, then the progress page."""
    if not request.user.has_perm(services.ISSUE_PERMISSION):
        raise PermissionDenied
    batch, _requested, skipped = services.batch_issue(enrolments=queryset, user=request.user)
    counts = issuing_outcome(batch.awards.values_list("pk", flat=True))
    outcome = issuing_outcome_text(counts)
    if counts["pending"]:  # the workers sign them after this request: the batch page shows the final counts
        outcome += gettext(" This page shows the final counts once the workers are done.")
    message = ngettext(
        "%(outcome)s %(count)d enrolment skipped: not completed or already awarded.",
        "%(outcome)s %(count)d enrolments skipped: not completed or already awarded.",
        skipped,
    )
    modeladmin.message_user(
        request,
        message % {"outcome": outcome, "count": skipped},
        messages.WARNING if counts["failed"] else messages.SUCCESS,
    )
    return redirect("admin:awards_issuancebatch_progress", batch.pk)


# The bulk issue is an action on enrolments; awards owns it, so learners' admin does not import awards.
# Enrolments are registered again with a subclass that adds it, instead of changing EnrolmentAdmin in place.
admin.site.unregister(Enrolment)


@admin.register(Enrolment)
class IssuingEnrolmentAdmin(EnrolmentAdmin):
    actions = [*EnrolmentAdmin.actions, issue_credentials]

    def has_issue_permission(self, request):
        return request.user.has_perm(services.ISSUE_PERMISSION)


class EmailTemplateForm(forms.ModelForm):
    class Meta:
        model = EmailTemplate
        fields = ["event", "subject", "body"]

    def clean(self):
        cleaned = super().clean()
        for field in ("subject", "body"):
            try:
                Engine(autoescape=False).from_string(cleaned.get(field, "")).render(Context({}))
            except TemplateSyntaxError as error:
                self.add_error(field, gettext("This template cannot be read: %(error)s") % {"error": error})
        return cleaned


@admin.register(EmailTemplate)
class EmailTemplateAdmin(SimpleHistoryAdmin):
    """The registrar's wording of the emails learners get about their credentials (history kept)."""

    form = EmailTemplateForm
    list_display = ["event", "subject"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["award", "event", "created_at", "emailed_at", "dismissed_at"]
    list_filter = ["event"]
    list_select_related = ["award__learner", "award__program"]
    search_fields = ["award__learner__legal_name", "award__program__code"]


@admin.register(Endorsement)
class EndorsementAdmin(SimpleHistoryAdmin):
    """Staff record an outside organisation's endorsement; saving signs it (once) as an EndorsementCredential."""

    list_display = ["endorser_name", "endorser_kind", "program", "issued_at", "withdrawn_at"]
    list_filter = ["endorser_kind", "program"]
    search_fields = ["endorser_name", "program__code", "program__title"]
    list_select_related = ["program"]
    autocomplete_fields = ["program"]
    readonly_fields = ["issued_at", "signed_credential", "recorded_by"]
    fields = [
        "program", "endorser_name", "endorser_kind", "endorser_url", "endorser_email", "statement", "withdrawn_at",
        "issued_at", "recorded_by", "signed_credential",
    ]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        signed = ["program", "endorser_name", "endorser_kind", "endorser_url", "endorser_email", "statement"]
        return self.readonly_fields + (signed if obj is not None and obj.credential else [])

    @admin.display(description=_("Signed credential"))
    def signed_credential(self, obj):
        if not obj.credential:
            return gettext("Signed when saved.")
        return format_html('<a href="{}">EndorsementCredential (JSON)</a>', obj.get_absolute_url())

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not obj.credential:
            services.endorsement_issue(endorsement=obj, user=request.user)


class SignatoryInline(admin.TabularInline):
    model = Signatory
    fields = ["order", "name", "title", "signature"]
    extra = 1


@admin.register(CertificateTemplate)
class CertificateTemplateAdmin(SimpleHistoryAdmin):
    """Certificate designs per institution or program; the preview renders the latest credential it applies to."""

    list_display = ["name", "institution", "program", "paper_size", "orientation", "preview_link"]
    list_select_related = ["institution", "program"]
    autocomplete_fields = ["program"]
    inlines = [SignatoryInline]

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview)
        return [
            path("<path:object_id>/preview.pdf", preview, name="awards_certificatetemplate_preview"),
            *super().get_urls(),
        ]

    @admin.display(description=_("Preview"))
    def preview_link(self, obj):
        return format_html('<a href="{}">PDF</a>', reverse("admin:awards_certificatetemplate_preview", args=[obj.pk]))

    def preview(self, request, object_id):
        template = self.get_object(request, object_id)
        if template is None or not self.has_view_permission(request, template):
            raise PermissionDenied
        scope = Q(program=template.program) if template.program_id else Q(program__institution=template.institution)
        award = Award.objects.issued().filter(scope).select_related("learner", "program__institution").first()
        if award is None:
            self.message_user(
                request, _("No credential this template applies to has been issued yet."), messages.WARNING
            )
            return redirect("admin:awards_certificatetemplate_change", object_id)
        response = HttpResponse(certificates.render(award, template=template), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="preview-{template.pk}.pdf"'
        return response


@admin.register(ForeignCredential)
class ForeignCredentialAdmin(SimpleHistoryAdmin):
    """Credentials learners brought from other issuers (each verified on upload). Set the program it counts as
    (an agreement fills it in) and a note, then *Recognise* or *Refuse*; both are audited."""

    list_display = ["achievement_name", "issuer_name", "learner", "status", "agreement", "counts_as", "uploaded_at"]
    list_filter = ["status", "issuer_name"]
    search_fields = ["achievement_name", "issuer_name", "learner__legal_name", "learner__student_id"]
    list_select_related = ["learner", "agreement", "counts_as"]
    autocomplete_fields = ["counts_as"]
    fields = ["learner", "achievement_name", "achievement_id", "issuer_name", "issuer_id", "agreement", "counts_as",
              "decision_note", "status", "decided_by", "decided_at", "credential_json"]  # fmt: skip
    readonly_fields = ["learner", "achievement_name", "achievement_id", "issuer_name", "issuer_id", "agreement",
                       "status", "decided_by", "decided_at", "credential_json"]  # fmt: skip
    actions = ["recognise", "refuse"]

    def has_add_permission(self, request):
        return False  # learners bring them from the portal

    def has_delete_permission(self, request, obj=None):
        return False

    def has_decide_permission(self, request):
        return request.user.has_perm(transfer.DECIDE_PERMISSION)

    @admin.display(description=_("Credential as brought"))
    def credential_json(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(json.loads(obj.document), indent=2)[:20_000])

    @admin.action(description=_("Recognise (counts as the chosen program)"), permissions=["decide"])
    def recognise(self, request, queryset):
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("Refuse (with the note saved on each)"), permissions=["decide"])
    def refuse(self, request, queryset):
        self._decide(request, queryset, approve=False)

    def _decide(self, request, queryset, *, approve):
        done = 0
        for credential in queryset:
            try:
                transfer.foreign_credential_decide(
                    credential=credential, user=request.user, approve=approve, note=credential.decision_note
                )
                done += 1
            except (ValidationError, PermissionDenied) as error:
                self.message_user(
                    request,
                    gettext("%(award)s: %(error)s") % {"award": credential, "error": _text(error)},
                    messages.ERROR,
                )
        if done:
            if approve:
                message = ngettext(
                    "%(count)d credential recognised; pathways are checked again.",
                    "%(count)d credentials recognised; pathways are checked again.",
                    done,
                )
            else:
                message = ngettext("%(count)d credential refused.", "%(count)d credentials refused.", done)
            self.message_user(request, message % {"count": done}, messages.SUCCESS)


class IssuerAPIKeyForm(forms.ModelForm):
    class Meta:
        model = IssuerAPIKey
        fields = ["name", "institution", "expiry_date", "daily_quota", "revoked"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "expiry_date" in self.fields:  # not when a registrar only views the key
            self.fields["institution"].required = self.instance._state.adding  # older keys may have none
            self.fields["expiry_date"].required = True
            self.fields["expiry_date"].initial = vcapi_services.key_expiry_default


@admin.register(IssuerAPIKey)
class IssuerAPIKeyAdmin(admin.ModelAdmin):
    """Keys of the registry's own systems for VC-API issuing (/credentials/issue): they sign as the registry. Not a
    SimpleHistoryAdmin: reverting a key's history would un-revoke it (the history is still recorded)."""

    form = IssuerAPIKeyForm
    list_display = ["name", "institution", "prefix", "created", "expiry_date", "daily_quota", "revoked", "last_used_at"]
    list_filter = ["revoked", "institution"]
    list_select_related = ["institution"]
    search_fields = ["name", "prefix"]
    readonly_fields = ["prefix", "created", "last_used_at"]

    def get_readonly_fields(self, request, obj=None):
        # A revoked key stays revoked.
        return [*self.readonly_fields, "revoked"] if obj is not None and obj.revoked else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        key, secret = vcapi_services.issuer_api_key_create(
            name=obj.name, expires_at=obj.expiry_date, institution=obj.institution, daily_quota=obj.daily_quota
        )
        obj.pk = key.pk
        self.message_user(
            request,
            gettext("The issuer key is: %(secret)s — copy it now; it is stored hashed and cannot be shown again.")
            % {"secret": secret},
            messages.WARNING,
        )


@admin.register(VCAPIIssuance)
class VCAPIIssuanceAdmin(ReadOnlyAdmin):
    """Every credential signed through /credentials/issue, with its caller: what a leaked key signed."""

    list_display = ["credential_id", "issued_at", "institution", "issued_by", "api_key", "signing_key", "revoked_at"]
    list_filter = ["institution", "api_key", "signing_key", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["institution", "issued_by", "api_key", "signing_key"]
    search_fields = ["credential_id"]
    date_hierarchy = "issued_at"
    actions = ["revoke"]

    def has_revoke_permission(self, request):
        return request.user.has_perm(services.REVOKE_PERMISSION)

    @admin.action(description=_("Revoke…"), permissions=["revoke"])
    def revoke(self, request, queryset):
        """An intermediate page asks for the mandatory reason, then revokes each credential."""
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        del form.fields["public_reason"]  # these credentials have no public page to show it on
        if form.is_valid():
            done = 0
            for issuance in queryset:
                try:
                    vcapi_services.issuance_revoke(
                        issuance=issuance, user=request.user, reason=form.cleaned_data["reason"]
                    )
                    done += 1
                except (ValidationError, PermissionDenied) as error:
                    self.message_user(
                        request,
                        gettext("%(award)s: %(error)s") % {"award": issuance, "error": _text(error)},
                        messages.ERROR,
                    )
            if done:
                message = ngettext(
                    "Revoked: %(count)d credential; the status list is updated.",
                    "Revoked: %(count)d credentials; the status list is updated.",
                    done,
                )
                self.message_user(request, message % {"count": done})
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Revoke credentials"),
            "opts": self.model._meta,
            "form": form,
            "awards": queryset,
            "status_list_only": True,  # issued through the VC-API: no page of their own here
            "action": "revoke",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/awards/award/status_change.html", context)
