"""Offline evaluation of the recommender: hold out each learner's last program and see whether the recommender
puts it in its top 3 / top 5, against a popularity baseline (the most completed programs the learner has not
taken).

.venv/bin/python bench/guidance_evaluation.py [learners] [programs]

The cohort is synthetic (bench/guidance_world.py): goal occupations from the ESCO excerpt, programs and pathways
generated from the catalog's structure, learners who mostly chose programs that closed their goal's gaps.
"""

import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CUTOFFS = (3, 5)


@dataclass
class Evaluation:
    learners: int
    programs: int
    hits: dict  # (method, k) -> learners whose held-out program was in the top k

    def rate(self, method, k):
        return self.hits[method, k] / self.learners if self.learners else 0.0


def evaluate(world) -> Evaluation:
    from guidance.recommend import compute_guidance
    from learners.models import Enrolment, Learner

    taken = {}
    for learner_id, code in Enrolment.objects.filter(learner_id__in=world.learner_ids).values_list(
        "learner_id", "program__code"
    ):
        taken.setdefault(learner_id, set()).add(code)
    popularity = [code for code, _ in Counter(c for codes in taken.values() for c in codes).most_common()]
    hits = Counter()
    for learner in Learner.objects.filter(pk__in=world.learner_ids):
        recommended = [p["code"] for p in compute_guidance(learner)["programs"]]
        popular = [code for code in popularity if code not in taken.get(learner.pk, ())]
        for k in CUTOFFS:
            hits["recommender", k] += world.held_out[learner.pk] in recommended[:k]
            hits["popularity", k] += world.held_out[learner.pk] in popular[:k]
    return Evaluation(len(world.learner_ids), world.programs, dict(hits))


def report(evaluation: Evaluation) -> str:
    lines = [
        f"learners {evaluation.learners}, programs {evaluation.programs}, one held-out program each",
        f"{'method':<12} " + " ".join(f"{'hit@' + str(k):>7}" for k in CUTOFFS),
    ]
    for method in ("recommender", "popularity"):
        lines.append(f"{method:<12} " + " ".join(f"{evaluation.rate(method, k):>7.3f}" for k in CUTOFFS))
    lift = [
        evaluation.rate("recommender", k) / evaluation.rate("popularity", k) if evaluation.rate("popularity", k) else 0
        for k in CUTOFFS
    ]
    lines.append(f"{'lift':<12} " + " ".join(f"{value:>6.1f}×" for value in lift))
    return "\n".join(lines)


def main(learners=1000, programs=100):
    from bench.setup import demo_staff, django_with_fresh_database

    django_with_fresh_database("guidance-evaluation")
    from bench.guidance_world import build_world

    registrar, _, _ = demo_staff()
    world = build_world(learners=learners, programs=programs, registrar=registrar)
    print(report(evaluate(world)))


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
