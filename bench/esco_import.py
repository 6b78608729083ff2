"""Benchmark: importing a full-size ESCO download (13,939 skills, 3,039 occupations, 129,004 relations, in the
official CSV layout, generated) with manage.py import_esco's service — seconds and SQL queries, first import and
the same files again.

.venv/bin/python bench/esco_import.py
"""

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main():
    from bench.setup import django_with_fresh_database

    django_with_fresh_database("esco-import")
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from bench.esco_download import write_esco_download
    from guidance.services import import_esco

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        download = write_esco_download(Path(folder))
        print(f"generated {download.skill_count} skills, {download.occupation_count} occupations, "
              f"{download.relation_count} relations in {time.perf_counter() - started:.1f} s")  # fmt: skip
        for run in ("first import", "same files again"):
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                report = import_esco(
                    skills=download.skills,
                    occupations=download.occupations,
                    relations=download.relations,
                    version="1.2.0",
                )
                seconds = time.perf_counter() - started
            print(f"{run:<17} {seconds:5.1f} s, {len(captured)} queries — {report}")


if __name__ == "__main__":
    main()
