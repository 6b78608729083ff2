"""Ranking a framework's skills by how close their words are to a text (TF-IDF cosine similarity).

Used to suggest crosswalks from the institution's competencies to ESCO skills, and to read the skills an
occupation or a pasted job posting asks for. Everything runs in-process: no external service, no model
download. An index is built once per framework content and kept for the life of the process.
"""

import threading
from dataclasses import dataclass

from django.db.models import Count, Max

from .models import Competency, SkillFramework


@dataclass(frozen=True)
class Match:
    skill_id: int
    similarity: float


def skill_text(name: str, alt_labels: str = "", description: str = "") -> str:
    # The name twice: it is the most precise words a skill has.
    return f"{name} {name} {alt_labels} {description}"


class SkillIndex:
    def __init__(self, skills: list[tuple[int, str]]):
        # Imported here: scikit-learn takes about two seconds to import, and only matching needs it.
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.ids = [skill_id for skill_id, _ in skills]
        self.vectorizer = TfidfVectorizer(
            stop_words="english", sublinear_tf=True, ngram_range=(1, 2), min_df=1, strip_accents="unicode"
        )
        self.matrix = self.vectorizer.fit_transform([text for _, text in skills]) if skills else None

    def rank(self, text: str, *, limit: int, threshold: float) -> list[Match]:
        """The ``limit`` skills most similar to ``text`` with a similarity of at least ``threshold``."""
        if self.matrix is None or not text.strip():
            return []
        from sklearn.metrics.pairwise import linear_kernel

        scores = linear_kernel(self.vectorizer.transform([text]), self.matrix)[0]
        best = scores.argsort()[::-1][:limit]
        return [Match(self.ids[i], round(float(scores[i]), 4)) for i in best if scores[i] >= threshold]


_indexes: dict[tuple, SkillIndex] = {}
_lock = threading.Lock()


def skill_index(framework: SkillFramework) -> SkillIndex:
    """The framework's index, rebuilt when its skills change (count, newest id or newest history entry)."""
    skills = Competency.objects.filter(framework=framework)
    state = skills.aggregate(count=Count("pk"), newest=Max("pk"))
    edited = Competency.history.filter(framework_id=framework.pk).aggregate(at=Max("history_date"))["at"]
    key = (framework.pk, state["count"], state["newest"], edited)
    with _lock:
        index = _indexes.get(key)
        if index is None:
            rows = skills.values_list("pk", "name", "alt_labels", "description")
            index = SkillIndex([(pk, skill_text(name, alt, description)) for pk, name, alt, description in rows])
            for stale in [k for k in _indexes if k[0] == framework.pk]:
                del _indexes[stale]
            _indexes[key] = index
        return index
