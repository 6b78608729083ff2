"""Learner guidance: occupations of a reference framework (ESCO), the career goals learners set, and the
recommendations computed for them.

Skills are catalog competencies of the reference framework; the institution's own competencies reach them
through staff-confirmed ``catalog.CompetencyMapping`` rows.
"""

from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from catalog.models import Competency, SkillFramework
from learners.models import Learner


class Occupation(models.Model):
    framework = models.ForeignKey(
        SkillFramework, verbose_name=_("framework"), on_delete=models.PROTECT, related_name="occupations"
    )
    uri = models.URLField(_("URI"), max_length=255, unique=True)
    label = models.CharField(_("label"), max_length=255, db_index=True)
    alt_labels = models.TextField(_("alternative labels"), blank=True, help_text=_("Other names for it, one per line."))
    description = models.TextField(_("description"), blank=True)
    skills = models.ManyToManyField(
        Competency, verbose_name=_("skills"), through="OccupationSkill", related_name="occupations"
    )

    class Meta:
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")
        ordering = ["label"]

    def __str__(self):
        return self.label


class Relation(models.TextChoices):
    ESSENTIAL = "essential", _("Essential")
    OPTIONAL = "optional", _("Optional")


class OccupationSkill(models.Model):
    """A skill an occupation needs, as the framework's occupation–skill relations say."""

    occupation = models.ForeignKey(
        Occupation, verbose_name=_("occupation"), on_delete=models.CASCADE, related_name="skill_relations"
    )
    skill = models.ForeignKey(Competency, verbose_name=_("skill"), on_delete=models.CASCADE, related_name="+")
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)

    class Meta:
        verbose_name = _("occupation skill")
        verbose_name_plural = _("occupation skills")
        constraints = [models.UniqueConstraint(fields=["occupation", "skill"], name="unique_occupation_skill")]

    def __str__(self):
        return gettext("%(occupation)s needs %(skill)s (%(relation)s)") % {
            "occupation": self.occupation,
            "skill": self.skill.name,
            "relation": self.relation,
        }


class CareerGoal(models.Model):
    """Where a learner wants to go: an occupation of the framework, or a job posting they pasted."""

    learner = models.ForeignKey(
        Learner, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="career_goals"
    )
    occupation = models.ForeignKey(
        Occupation,
        verbose_name=_("occupation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="goals",
    )
    title = models.CharField(_("title"), max_length=200)
    posting = models.TextField(_("job posting"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("career goal")
        verbose_name_plural = _("career goals")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "occupation"], condition=models.Q(occupation__isnull=False), name="unique_goal"
            ),
            models.CheckConstraint(
                condition=models.Q(occupation__isnull=False) | ~models.Q(posting=""), name="goal_has_a_target"
            ),
        ]

    def __str__(self):
        return self.title


class GoalSkill(models.Model):
    """One skill of a goal's profile, with how much it matters to the goal (0–1]."""

    class Source(models.TextChoices):
        ESSENTIAL = "essential", _("Essential to the occupation")
        OPTIONAL = "optional", _("Optional for the occupation")
        MATCHED = "matched", _("Read from the text")

    goal = models.ForeignKey(CareerGoal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Competency, verbose_name=_("skill"), on_delete=models.CASCADE, related_name="+")
    importance = models.FloatField(_("importance"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)

    class Meta:
        verbose_name = _("goal skill")
        verbose_name_plural = _("goal skills")
        ordering = ["-importance", "pk"]
        constraints = [models.UniqueConstraint(fields=["goal", "skill"], name="unique_goal_skill")]

    def __str__(self):
        return f"{self.goal}: {self.skill.name}"


class LearnerGuidance(models.Model):
    """The learner's computed gaps and recommendations, kept until something they depend on changes."""

    learner = models.OneToOneField(
        Learner, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="guidance"
    )
    computed_at = models.DateTimeField(_("computed at"))
    payload = models.JSONField(_("payload"))

    class Meta:
        verbose_name = _("learner guidance")
        verbose_name_plural = pgettext_lazy("plural", "learner guidance")

    def __str__(self):
        return gettext("Guidance for %(learner)s") % {"learner": self.learner}
