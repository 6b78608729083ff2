"""Creating a program is one guided flow: its rubric with criteria and levels on one page, a level scale copied in
one step, lifecycle steps as buttons on the program's page saying what comes next, translations side by side."""

from decimal import Decimal

import pytest
from django.forms import modelform_factory
from django.urls import reverse

from catalog import authoring, substance
from catalog.admin.programs import CriterionForm
from catalog.models import Criterion, Level, Program, Rubric
from catalog.services import program_transition
from tests.factories import (
    CompetencyFactory,
    CriterionFactory,
    InstitutionFactory,
    LevelFactory,
    ProgramFactory,
    RubricFactory,
    SubjectAreaFactory,
    published_program,
    rubric_with_criteria,
)

pytestmark = pytest.mark.django_db
Status = Program.Status
FOUR = authoring.COMMON_SCALES["four"][1]


def _management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _rubric_post(program, criteria, *, min_total="", copy=""):
    """The rubric page's POST for new ``criteria``: [(name, [(level name, points), …]), …]."""
    data = {"program": program.pk, "min_total_points": min_total, "copy_levels_from": copy}
    data.update(_management("criteria", len(criteria)))
    for index, (name, levels) in enumerate(criteria):
        prefix = f"criteria-{index}"
        data.update({f"{prefix}-name": name, f"{prefix}-weight": "1", f"{prefix}-order": str(index)})
        data.update(_management(f"{prefix}-levels", len(levels)))
        for level_index, (level_name, points) in enumerate(levels):
            level_prefix = f"{prefix}-levels-{level_index}"
            data.update({f"{level_prefix}-name": level_name, f"{level_prefix}-points": str(points)})
            data[f"{level_prefix}-order"] = str(level_index)
    return data


def test_criteria_without_levels_get_the_scale_and_the_others_keep_theirs():
    rubric = RubricFactory()
    empty = CriterionFactory(rubric=rubric, name="Analysis", order=0)
    scored = CriterionFactory(rubric=rubric, name="Communication", order=1)
    LevelFactory(criterion=scored, name="Own", points=Decimal("5"))
    given = authoring.give_criteria_levels(rubric=rubric, scale=FOUR)
    assert given == [empty]
    assert [(level.order, level.name, level.points) for level in empty.levels.order_by("order")] == [
        (0, "Beginning", Decimal("1")),
        (1, "Developing", Decimal("2")),
        (2, "Proficient", Decimal("3")),
        (3, "Exemplary", Decimal("4")),
    ]
    assert list(scored.levels.values_list("name", flat=True)) == ["Own"]
    assert empty.levels.first().history.count() == 1  # copied levels have a history like hand-made ones


def test_a_published_program_s_rubric_gets_no_copied_levels():
    rubric = RubricFactory(program=published_program())
    CriterionFactory(rubric=rubric)
    with pytest.raises(authoring.ValidationError, match="create a new version"):
        authoring.give_criteria_levels(rubric=rubric, scale=FOUR)


def test_the_scales_offered_are_the_common_ones_then_each_rubric_scale_once(django_assert_num_queries):
    first = rubric_with_criteria(ProgramFactory(code="DATA-101"))
    rubric_with_criteria(ProgramFactory(code="DATA-102"))
    with django_assert_num_queries(3):
        choices = authoring.scale_choices()
    assert [value for value, _label in choices] == ["scale:four", "scale:three", "scale:met", f"rubric:{first.pk}"]
    assert choices[-1][1] == "L0 0 · L1 1 · L2 2 · L3 3 (as in DATA-101, DATA-102)"
    assert authoring.scale_of_choice(f"rubric:{first.pk}")[3] == authoring.ScaleLevel("L3", Decimal("3.00"))


def test_the_rubric_page_saves_criteria_with_their_levels_in_one_post(registrar_client):
    program = ProgramFactory()
    response = registrar_client.post(
        reverse("admin:catalog_rubric_add"),
        _rubric_post(program, [("Analysis", [("Low", 1), ("High", 3)]), ("Communication", [("Low", 1)])], min_total=2),
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "admin:catalog_program_change", args=[program.pk]
    )  # back to the program, whose page says what comes next
    assert [
        (level.criterion.name, level.name, level.points)
        for level in Level.objects.filter(criterion__rubric__program=program).order_by("criterion__order", "order")
    ] == [("Analysis", "Low", 1), ("Analysis", "High", 3), ("Communication", "Low", 1)]


def test_the_rubric_page_copies_a_scale_to_every_criterion_in_the_same_save(registrar_client):
    program = ProgramFactory()
    registrar_client.post(
        reverse("admin:catalog_rubric_add"),
        _rubric_post(program, [("Analysis", []), ("Design", []), ("Ethics", [])], min_total=6, copy="scale:four"),
    )
    rubric = Rubric.objects.get(program=program)
    assert {criterion.levels.count() for criterion in rubric.criteria.all()} == {4}
    assert rubric.criteria.count() == 3


def test_a_nested_rubric_edit_sends_an_approved_program_back_to_review(registrar_client, registrar, approver):
    program = ProgramFactory(created_by=registrar)
    rubric = rubric_with_criteria(program)
    program_transition(program=program, action="submit", user=registrar)
    program_transition(program=program, action="approve", user=approver)
    data = {"program": program.pk, "min_total_points": "3", "copy_levels_from": ""}
    criteria = list(rubric.criteria.order_by("order"))
    data.update(_management("criteria", len(criteria), len(criteria)))
    for index, criterion in enumerate(criteria):
        prefix = f"criteria-{index}"
        data.update({f"{prefix}-id": criterion.pk, f"{prefix}-rubric": rubric.pk, f"{prefix}-name": criterion.name})
        data.update({f"{prefix}-weight": "1", f"{prefix}-order": str(index)})
        levels = list(criterion.levels.order_by("order"))
        data.update(_management(f"{prefix}-levels", len(levels), len(levels)))
        for level_index, level in enumerate(levels):
            level_prefix = f"{prefix}-levels-{level_index}"
            points = "30" if (index, level.name) == (0, "L3") else str(level.points)
            data.update({f"{level_prefix}-id": level.pk, f"{level_prefix}-criterion": criterion.pk})
            data.update({f"{level_prefix}-name": level.name, f"{level_prefix}-points": points})
            data[f"{level_prefix}-order"] = str(level_index)
    response = registrar_client.post(reverse("admin:catalog_rubric_change", args=[rubric.pk]), data, follow=True)
    program.refresh_from_db()
    assert Level.objects.get(criterion=criteria[0], name="L3").points == Decimal("30")
    assert program.status == Status.IN_REVIEW
    assert program.approved_digest != substance.digest(substance.substance(program))
    assert "back in review, for an approver to decide again" in response.content.decode()


def test_a_published_program_s_rubric_page_offers_no_edits(registrar_client):
    rubric = rubric_with_criteria(published_program())
    page = registrar_client.get(reverse("admin:catalog_rubric_change", args=[rubric.pk]))
    inline = page.context["inline_admin_formsets"][0]
    assert not (inline.has_add_permission or inline.has_change_permission or inline.has_delete_permission)
    assert 'name="copy_levels_from"' not in page.content.decode()


def test_a_criterion_s_minimum_level_offers_only_its_own_levels(registrar_client):
    rubric = rubric_with_criteria()
    page = registrar_client.get(reverse("admin:catalog_rubric_change", args=[rubric.pk]))
    for form in page.context["inline_admin_formsets"][0].formset.forms:
        assert {level.criterion_id for level in form.fields["min_level"].queryset} == {form.instance.pk}


def test_a_minimum_level_of_another_criterion_is_a_field_error():
    rubric = rubric_with_criteria()
    analysis, communication = rubric.criteria.order_by("order")
    form_class = modelform_factory(Criterion, form=CriterionForm, fields=["name", "weight", "order", "min_level"])
    form = form_class(
        {"name": "Analysis", "weight": "1", "order": 0, "min_level": communication.levels.first().pk}, instance=analysis
    )
    assert not form.is_valid() and "min_level" in form.errors


def _steps(client, program):
    page = client.get(reverse("admin:catalog_program_change", args=[program.pk]))
    return page, [step for step, _label, _link in page.context["lifecycle_steps"]]


def test_a_draft_without_rubric_says_to_add_one_and_offers_no_publish(registrar_client):
    program = ProgramFactory()
    page, steps = _steps(registrar_client, program)
    assert steps == ["submit"]
    assert page.context["next_step"]["link"] == (
        "Open the rubric",
        f"{reverse('admin:catalog_rubric_add')}?program={program.pk}",
    )
    assert "Add the rubric" in page.content.decode()


def test_a_new_program_opens_on_its_own_page_to_say_what_comes_next(registrar_client):
    response = registrar_client.post(
        reverse("admin:catalog_program_add"),
        {
            **{"institution": InstitutionFactory().pk, "subject": SubjectAreaFactory().pk, "code": "NEW-101"},
            **{"title": "New", "summary": "New.", "description": "New.", "learning_outcomes": "One"},
            **{"criteria_narrative": "Pass.", "effort_hours": "10", "achievement_type": "MicroCredential"},
            **{"credit_value": "0", "delivery_mode": "online", "language": "en", "cost": "0", "currency": "EUR"},
            **{"alignments-TOTAL_FORMS": "0", "alignments-INITIAL_FORMS": "0"},
        },
    )
    created = Program.objects.get(code="NEW-101")
    assert response["Location"] == reverse("admin:catalog_program_change", args=[created.pk])


def test_the_registrar_submits_from_the_program_page_and_is_told_what_follows(registrar_client):
    program = ProgramFactory()
    rubric_with_criteria(program)
    response = registrar_client.post(
        reverse("admin:catalog_program_lifecycle", args=[program.pk]), {"step": "submit"}, follow=True
    )
    program.refresh_from_db()
    assert program.status == Status.IN_REVIEW
    page = response.content.decode()
    assert "submitted for review; an approver will decide." in page and "Waiting for an approver" in page


def test_the_approver_is_sent_to_the_approval_queue_but_not_for_a_program_they_wrote(client, approver, registrar):
    theirs = ProgramFactory(created_by=registrar, status=Status.IN_REVIEW)
    own = ProgramFactory(created_by=approver, status=Status.IN_REVIEW)
    client.force_login(approver)
    page, steps = _steps(client, theirs)
    assert page.context["lifecycle_steps"] == [
        ("review", "Review: approve or send back", reverse("admin:catalog_programapproval_change", args=[theirs.pk]))
    ]
    assert _steps(client, own)[1] == ["return_to_draft"]


def test_the_program_page_links_to_its_history_of_decisions(registrar_client):
    program = ProgramFactory()
    page = registrar_client.get(reverse("admin:catalog_program_change", args=[program.pk]))
    history = page.context["decisions_url"]
    assert history == f"{reverse('admin:catalog_programdecision_changelist')}?program__id__exact={program.pk}"
    assert registrar_client.get(history).status_code == 200


def test_a_step_the_user_may_not_take_is_refused_with_a_message(registrar_client):
    program = ProgramFactory(status=Status.IN_REVIEW)
    response = registrar_client.post(
        reverse("admin:catalog_program_lifecycle", args=[program.pk]), {"step": "approve"}, follow=True
    )
    program.refresh_from_db()
    assert program.status == Status.IN_REVIEW
    assert "You do not have permission to approve programs." in response.content.decode()


def test_a_published_program_offers_retire_and_a_new_version(registrar_client):
    program = published_program()
    rubric_with_criteria(program)
    assert _steps(registrar_client, program)[1] == ["retire", "new_version"]
    response = registrar_client.post(
        reverse("admin:catalog_program_lifecycle", args=[program.pk]), {"step": "new_version"}
    )
    draft = Program.objects.get(predecessor=program)
    assert response["Location"] == reverse("admin:catalog_program_change", args=[draft.pk])


def test_the_lifecycle_url_takes_no_get(registrar_client):
    program = ProgramFactory()
    assert registrar_client.get(reverse("admin:catalog_program_lifecycle", args=[program.pk])).status_code == 405


def test_the_program_page_shows_translations_beside_the_original(registrar_client):
    program = ProgramFactory(translations={"fr": {"title": "Raconter avec les données"}})
    form = registrar_client.get(reverse("admin:catalog_program_change", args=[program.pk])).context["adminform"].form
    assert "translations" not in form.fields
    assert form["title_fr"].value() == "Raconter avec les données"
    assert form.fields["summary_fr"].label == "Summary (Français)"


def test_translations_typed_side_by_side_are_kept_as_the_model_s_json(post_program_change):
    program = ProgramFactory(translations={"fr": {"title": "Ancien titre", "summary": "Résumé"}})
    response = post_program_change(program, title_fr=" Nouveau titre ", summary_fr="", description_fr="Texte.")
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.translations == {"fr": {"title": "Nouveau titre", "description": "Texte."}}


def test_emptied_translations_leave_no_language_behind(post_program_change):
    program = ProgramFactory(translations={"fr": {"title": "Ancien titre"}})
    post_program_change(program, title_fr="")
    program.refresh_from_db()
    assert program.translations == {}


def test_skills_and_programs_are_shown_by_their_labels_never_as_ids(registrar_client):
    competency = CompetencyFactory(code="VISL", name="Data visualisation")
    rubric = rubric_with_criteria()
    rubric.criteria.first().competencies.add(competency)
    page = registrar_client.get(reverse("admin:catalog_rubric_change", args=[rubric.pk])).content.decode()
    assert "VISL Data visualisation" in page and "Competency object" not in page
    assert str(rubric.program) in page


def test_returning_an_approved_program_to_draft_from_its_page_takes_the_comment_its_author_reads(client, approver):
    program = ProgramFactory(status=Status.APPROVED)
    client.force_login(approver)
    page = client.get(reverse("admin:catalog_program_change", args=[program.pk])).content.decode()
    assert 'name="comment"' in page
    url = reverse("admin:catalog_program_lifecycle", args=[program.pk])
    refused = client.post(url, {"step": "return_to_draft", "comment": " "}, follow=True).content.decode()
    program.refresh_from_db()
    assert program.status == Status.APPROVED and "Say why the program is sent back" in refused
    client.post(url, {"step": "return_to_draft", "comment": "The effort is too low for 5 ECTS."})
    program.refresh_from_db()
    assert program.status == Status.DRAFT
    assert program.decisions.get().comment == "The effort is too low for 5 ECTS."
