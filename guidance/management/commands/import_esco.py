from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guidance import esco, services
from guidance.esco import EXCERPT


class Command(BaseCommand):
    help = (
        "Load ESCO skills and occupations (and occupation–skill relations) from the official ESCO CSV download "
        "(skills_en.csv, occupations_en.csv, occupationSkillRelations_en.csv). Without paths, loads the excerpt "
        "shipped in guidance/data/esco."
    )

    def add_arguments(self, parser):
        parser.add_argument("--skills", type=Path, default=EXCERPT / "skills.csv", help="skills_en.csv")
        parser.add_argument("--occupations", type=Path, default=EXCERPT / "occupations.csv", help="occupations_en.csv")
        parser.add_argument("--relations", type=Path, help="occupationSkillRelations_en.csv")
        parser.add_argument("--esco-version", default="1.2.0", help="ESCO version the files come from")

    def handle(self, *args, skills, occupations, relations, esco_version, **options):
        for path in filter(None, (skills, occupations, relations)):
            if not path.is_file():
                raise CommandError(f"{path} is not a file.")
        try:
            report = services.import_esco(
                skills=skills, occupations=occupations, relations=relations, version=esco_version
            )
        except esco.LayoutError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(str(report)))
