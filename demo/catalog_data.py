"""A realistic demo institution: frameworks, competencies, programs with rubrics, and stacking pathways.

Every function is idempotent: rows are found by their natural keys and updated, never duplicated.
"""

from decimal import Decimal

from django.db import transaction

from catalog import services
from catalog.models import (
    Alignment,
    Competency,
    Criterion,
    Institution,
    Level,
    Pathway,
    Program,
    Rubric,
    SkillFramework,
    SubjectArea,
    Tag,
)
from catalog.pathways import RuleSpec

SFIA = {
    "PROG": "Programming/software development",
    "TEST": "Functional testing",
    "SWDN": "Software design",
    "RELM": "Release and deployment",
    "CFMG": "Configuration management",
    "ITOP": "Infrastructure operations",
    "DTAN": "Data modelling and design",
    "DATM": "Data management",
    "DBDS": "Database design",
    "DAAN": "Data analytics",
    "DATS": "Data science",
    "MLNG": "Machine learning",
    "VISL": "Data visualisation",
    "BINT": "Business intelligence",
    "SCTY": "Information security",
    "PENT": "Penetration testing",
    "VUAS": "Vulnerability assessment",
    "SCAD": "Security operations",
    "NTAS": "Network support",
    "INAS": "Information assurance",
    "PRMG": "Project management",
    "BUAN": "Business situation analysis",
    "GOVN": "Governance",
    "BURM": "Risk management",
}

GRADUATE_ATTRIBUTES = {
    "NGA-01": "Written communication for technical and lay audiences",
    "NGA-02": "Oral presentation of findings",
    "NGA-03": "Collaborative teamwork",
    "NGA-04": "Ethical and professional judgement",
    "NGA-05": "Critical thinking and problem framing",
    "NGA-06": "Quantitative reasoning",
    "NGA-07": "Self-directed learning",
    "NGA-08": "Stakeholder engagement",
    "NGA-09": "Digital accessibility awareness",
    "NGA-10": "Reflective practice",
}

SUBJECTS = {
    "data": "Data and Analytics",
    "software": "Software Engineering",
    "cyber": "Cybersecurity",
    "business": "Business and Leadership",
}

LEVELS = [
    ("Not yet", "The evidence does not yet show the criterion.", 0),
    ("Developing", "Partly meets the criterion with guidance.", 1),
    ("Proficient", "Meets the criterion independently.", 2),
    ("Exemplary", "Exceeds the criterion; could guide others.", 3),
]

# code, title, subject, hours, ECTS, EQF, mode, cost, validity, tags, competencies, criteria (name, weight, competency)
PROGRAMS = [
    (
        "DATA-101",
        "Data Wrangling with Python",
        "data",
        50,
        2,
        5,
        "online",
        450,
        None,
        ["python", "pandas"],
        ["DAAN", "DATM", "PROG", "NGA-05"],
        [
            ("Cleans and reshapes real datasets", 2, "DATM"),
            ("Writes reproducible notebooks", 1, "PROG"),
            ("Documents data quality decisions", 1, "NGA-01"),
        ],
    ),
    (
        "DATA-102",
        "Applied Statistics for Analytics",
        "data",
        60,
        3,
        5,
        "blended",
        520,
        None,
        ["statistics"],
        ["DAAN", "DATS", "NGA-06"],
        [
            ("Chooses appropriate statistical tests", 2, "DATS"),
            ("Interprets uncertainty correctly", 2, "NGA-06"),
            ("Communicates results to non-specialists", 1, "NGA-02"),
        ],
    ),
    (
        "DATA-201",
        "Data Visualisation and Storytelling",
        "data",
        40,
        2,
        6,
        "online",
        400,
        None,
        ["visualisation"],
        ["VISL", "BINT", "NGA-02", "NGA-09"],
        [
            ("Selects effective chart forms", 1, "VISL"),
            ("Builds an accessible dashboard", 2, "NGA-09"),
            ("Tells a decision-ready story", 1, "NGA-02"),
        ],
    ),
    (
        "DATA-202",
        "SQL for Analysts",
        "data",
        45,
        2,
        5,
        "online",
        380,
        None,
        ["sql", "databases"],
        ["DBDS", "DTAN", "DATM"],
        [
            ("Writes correct analytical queries", 2, "DATM"),
            ("Designs a normalised schema", 1, "DBDS"),
            ("Optimises slow queries", 1, "DTAN"),
        ],
    ),
    (
        "DATA-301",
        "Machine Learning Foundations",
        "data",
        80,
        4,
        6,
        "blended",
        790,
        36,
        ["machine-learning", "python"],
        ["MLNG", "DATS", "NGA-04", "NGA-05"],
        [
            ("Frames a prediction problem", 1, "NGA-05"),
            ("Trains and validates models", 2, "MLNG"),
            ("Evaluates fairness and risk", 1, "NGA-04"),
            ("Explains model behaviour", 1, "NGA-01"),
        ],
    ),
    (
        "SWE-101",
        "Python Programming Foundations",
        "software",
        60,
        3,
        4,
        "online",
        350,
        None,
        ["python"],
        ["PROG", "SWDN", "NGA-07"],
        [
            ("Writes working, readable programs", 2, "PROG"),
            ("Decomposes problems into functions", 1, "SWDN"),
            ("Uses version control", 1, "CFMG"),
        ],
    ),
    (
        "SWE-201",
        "Software Testing in Practice",
        "software",
        50,
        2,
        5,
        "online",
        420,
        None,
        ["testing", "quality"],
        ["TEST", "PROG", "NGA-03"],
        [
            ("Designs test cases from requirements", 2, "TEST"),
            ("Automates a test suite", 2, "PROG"),
            ("Reports defects clearly", 1, "NGA-01"),
        ],
    ),
    (
        "SWE-202",
        "Cloud Deployment and DevOps",
        "software",
        70,
        3,
        6,
        "blended",
        690,
        24,
        ["cloud", "devops"],
        ["RELM", "CFMG", "ITOP"],
        [
            ("Builds a CI/CD pipeline", 2, "RELM"),
            ("Manages infrastructure as code", 2, "CFMG"),
            ("Monitors a running service", 1, "ITOP"),
        ],
    ),
    (
        "CYB-101",
        "Security Fundamentals",
        "cyber",
        40,
        2,
        4,
        "online",
        300,
        None,
        ["security"],
        ["SCTY", "INAS", "BURM"],
        [
            ("Identifies common threats", 1, "SCTY"),
            ("Applies basic controls", 2, "INAS"),
            ("Assesses information risk", 1, "BURM"),
        ],
    ),
    (
        "CYB-201",
        "Network Defence",
        "cyber",
        60,
        3,
        5,
        "in_person",
        640,
        24,
        ["security", "networks"],
        ["NTAS", "SCAD", "SCTY"],
        [
            ("Configures a hardened network", 2, "NTAS"),
            ("Detects and triages incidents", 2, "SCAD"),
            ("Writes an incident report", 1, "NGA-01"),
        ],
    ),
    (
        "CYB-202",
        "Ethical Hacking and Penetration Testing",
        "cyber",
        80,
        4,
        6,
        "in_person",
        880,
        24,
        ["security", "pentest"],
        ["PENT", "VUAS", "NGA-04"],
        [
            ("Plans a scoped engagement", 1, "NGA-04"),
            ("Finds and exploits vulnerabilities", 2, "PENT"),
            ("Reports findings with remediation", 2, "VUAS"),
        ],
    ),
    (
        "BUS-101",
        "Agile Project Management",
        "business",
        35,
        2,
        5,
        "online",
        320,
        None,
        ["agile", "management"],
        ["PRMG", "NGA-03", "NGA-08"],
        [
            ("Plans iterative delivery", 2, "PRMG"),
            ("Facilitates a team ceremony", 1, "NGA-03"),
            ("Manages stakeholder expectations", 1, "NGA-08"),
        ],
    ),
    (
        "BUS-102",
        "Data Ethics and Governance",
        "business",
        30,
        1,
        6,
        "online",
        280,
        None,
        ["ethics", "governance"],
        ["GOVN", "BUAN", "NGA-04", "NGA-10"],
        [
            ("Applies a governance framework", 1, "GOVN"),
            ("Analyses an ethical dilemma", 2, "NGA-04"),
            ("Reflects on professional responsibility", 1, "NGA-10"),
        ],
    ),
]

# code, title, type, subject, ECTS, EQF, award description, rules [(label, kind, n/credits, [codes])]
PATHWAYS = [
    (
        "CERT-DA",
        "Certificate in Data Analytics",
        "Certificate",
        "data",
        9,
        5,
        "Stack four data microcredentials into a university certificate in data analytics.",
        "9 ECTS toward the BSc in Data Science",
        [
            ("Core", "all_of", None, ["DATA-101", "DATA-102", "DATA-202"]),
            ("Elective", "n_of", 1, ["DATA-201", "DATA-301", "BUS-102"]),
        ],
    ),
    (
        "CERT-SWE",
        "Certificate in Software Engineering",
        "Certificate",
        "software",
        8,
        5,
        "Any three software microcredentials make a certificate in software engineering.",
        "",
        [("Software modules", "n_of", 3, ["SWE-101", "SWE-201", "SWE-202", "DATA-202"])],
    ),
    (
        "CERT-CYB",
        "Certificate in Cybersecurity Operations",
        "Certificate",
        "cyber",
        9,
        5,
        "Core security operations plus at least four credits of specialist study.",
        "",
        [
            ("Core", "all_of", None, ["CYB-101", "CYB-201"]),
            ("Specialist credits", "min_credits", 4, ["CYB-202", "SWE-202", "BUS-102"]),
        ],
    ),
    (
        "DIP-DIGI",
        "Graduate Diploma in Digital Technology",
        "Diploma",
        "software",
        20,
        6,
        "Combine the data analytics and software engineering certificates with one professional module.",
        "20 ECTS toward the MSc in Digital Innovation",
        [
            ("Certificates", "all_of", None, ["CERT-DA", "CERT-SWE"]),
            ("Professional practice", "n_of", 1, ["BUS-101", "CYB-101"]),
        ],
    ),
]

# The rules' labels on French pages (registrars give them in the admin's "label in other languages").
RULE_LABELS_FR = {
    "Core": "Tronc commun",
    "Elective": "Option",
    "Software modules": "Modules de génie logiciel",
    "Specialist credits": "Crédits de spécialité",
    "Certificates": "Certificats",
    "Professional practice": "Pratique professionnelle",
}

LOREM_OUTCOMES = {
    "data": ["Prepare messy data for analysis", "Justify analytical choices", "Communicate findings with evidence"],
    "software": ["Build maintainable software", "Verify software behaviour", "Work in a team codebase"],
    "cyber": ["Recognise and prioritise threats", "Apply defensive controls", "Report incidents responsibly"],
    "business": ["Plan and steer projects", "Weigh ethical and legal duties", "Engage stakeholders"],
}


@transaction.atomic
def load_catalog(*, registrar, approver):
    institution, _ = Institution.objects.update_or_create(
        slug="northbridge",
        defaults={
            "name": "Northbridge University",
            "url": "https://www.northbridge.example.edu",
            "email": "registry@northbridge.example.edu",
            "description": "A public university offering stackable, assessed microcredentials.",
            "accreditation_body": "National Agency for Quality Assurance in Higher Education",
            "accreditation": "Institutional accreditation 2024–2030; microcredentials follow the EU Council "
            "Recommendation on a European approach to micro-credentials.",
        },
    )
    subjects = {
        key: SubjectArea.objects.update_or_create(slug=key, defaults={"name": name})[0]
        for key, name in SUBJECTS.items()
    }
    competencies = _load_competencies()
    programs = {}
    for row in PROGRAMS:
        programs[row[0]] = _load_program(institution, subjects, competencies, row, registrar, approver)
    for code, title, kind, subject, credits, level, description, credit_toward, rules in PATHWAYS:
        award = _upsert_program(
            institution,
            code,
            title=title,
            achievement_type=kind,
            subject=subjects[subject],
            summary=description,
            description=description,
            learning_outcomes="\n".join(LOREM_OUTCOMES[subject]),
            criteria_narrative=f"Earn the component microcredentials of the {title} pathway.",
            effort_hours=sum(p[3] for p in PROGRAMS if p[0] in _codes(rules)) or 1,
            credit_value=Decimal(credits),
            credit_system="ECTS",
            level=level,
            created_by=registrar,
        )
        programs[code] = award
        pathway, _ = Pathway.objects.update_or_create(
            slug=code.lower(),
            defaults={
                "institution": institution,
                "name": title,
                "description": description,
                "award": award,
                "credit_toward": credit_toward,
            },
        )
        services.pathway_set_rules(
            pathway=pathway,
            rules=[
                RuleSpec(
                    label=label,
                    label_translations={"fr": RULE_LABELS_FR[label]},
                    kind=rule_kind,
                    programs=tuple(programs[c] for c in codes),
                    required_count=amount if rule_kind == "n_of" else None,
                    min_credits=Decimal(amount) if rule_kind == "min_credits" else None,
                )
                for label, rule_kind, amount, codes in rules
            ],
        )
        _publish(award, registrar, approver)
        _publish_pathway(pathway, registrar, approver)
    _load_version_two(programs["DATA-101"], registrar, approver)
    _load_unpublished(institution, subjects, competencies, registrar)
    return institution


def _codes(rules):
    return {code for rule in rules for code in rule[3]}


def _load_competencies():
    sfia, _ = SkillFramework.objects.update_or_create(
        name="SFIA",
        version="9",
        defaults={"publisher": "SFIA Foundation", "url": "https://sfia-online.org/en/sfia-9"},
    )
    own, _ = SkillFramework.objects.update_or_create(
        name="Northbridge Graduate Attributes",
        version="2025",
        defaults={"publisher": "Northbridge University", "url": "https://www.northbridge.example.edu/attributes"},
    )
    competencies = {}
    for code, name in SFIA.items():
        competencies[code] = Competency.objects.update_or_create(
            framework=sfia,
            code=code,
            defaults={
                "name": name,
                "description": f"SFIA 9 skill {code}: {name}.",
                "target_url": f"https://sfia-online.org/en/sfia-9/skills/{code.lower()}",
            },
        )[0]
    for code, name in GRADUATE_ATTRIBUTES.items():
        competencies[code] = Competency.objects.update_or_create(
            framework=own,
            code=code,
            defaults={
                "name": name,
                "description": f"Northbridge graduate attribute: {name.lower()}.",
                "target_url": f"https://www.northbridge.example.edu/attributes#{code.lower()}",
            },
        )[0]
    return competencies


def _upsert_program(institution, code, *, created_by, **fields):
    program = Program.objects.filter(code=code, version=1).first()
    if program is None:
        return Program.objects.create(institution=institution, code=code, created_by=created_by, **fields)
    if not program.is_frozen:
        for name, value in fields.items():
            setattr(program, name, value)
        program.save()
    return program


def _load_program(institution, subjects, competencies, row, registrar, approver):
    code, title, subject, hours, credits, level, mode, cost, validity, tags, aligned, criteria = row
    program = _upsert_program(
        institution,
        code,
        title=title,
        subject=subjects[subject],
        summary=f"An assessed, {hours}-hour microcredential in {title.lower()}.",
        description=f"{title} is a short, assessed program. Learners complete an authentic project that is "
        f"graded against a published rubric, so the credential shows what they can do.",
        learning_outcomes="\n".join(LOREM_OUTCOMES[subject] + [f"Apply {title.lower()} to a real problem"]),
        criteria_narrative="Submit the capstone project and reach the pass mark of the rubric, with at least "
        "'Developing' on the first criterion.",
        effort_hours=hours,
        credit_value=Decimal(credits),
        credit_system="ECTS",
        level=level,
        delivery_mode=mode,
        cost=Decimal(cost),
        currency="EUR",
        validity_months=validity,
        created_by=registrar,
    )
    if not program.is_frozen:
        program.tags.set([Tag.objects.get_or_create(name=tag)[0] for tag in tags])
        for competency_code in aligned:
            Alignment.objects.get_or_create(program=program, competency=competencies[competency_code])
        _load_rubric(program, criteria, competencies)
    return _publish(program, registrar, approver)


def _load_rubric(program, criteria, competencies):
    rubric, _ = Rubric.objects.get_or_create(program=program)
    for order, (name, weight, competency_code) in enumerate(criteria):
        criterion, _ = Criterion.objects.update_or_create(
            rubric=rubric, name=name, defaults={"order": order, "weight": Decimal(weight)}
        )
        criterion.competencies.set([competencies[competency_code]])
        for level_order, (level_name, description, points) in enumerate(LEVELS):
            Level.objects.update_or_create(
                criterion=criterion,
                name=level_name,
                defaults={"order": level_order, "description": description, "points": Decimal(points)},
            )
        if order == 0:
            criterion.min_level = criterion.levels.get(name="Developing")
            criterion.save(update_fields=["min_level"])
    # Pass mark: half of the highest weighted total.
    best = sum(Decimal(weight) * 3 for _, weight, _ in criteria)
    rubric.min_total_points = best / 2
    rubric.save()


def _publish(program, registrar, approver):
    steps = {"draft": ["submit", "approve", "publish"], "in_review": ["approve", "publish"], "approved": ["publish"]}
    for action in steps.get(program.status, []):
        actor = approver if action == "approve" else registrar
        program = services.program_transition(program=program, action=action, user=actor)
    return program


def _publish_pathway(pathway, registrar, approver):
    pathway.refresh_from_db()
    steps = {"draft": ["submit", "approve", "publish"], "in_review": ["approve", "publish"], "approved": ["publish"]}
    for action in steps.get(pathway.status, []):
        actor = approver if action == "approve" else registrar
        pathway = services.pathway_transition(pathway=pathway, action=action, user=actor)
    return pathway


def _load_version_two(program, registrar, approver):
    """DATA-101 was revised after publication: v2 is live and v1 is retired."""
    successor = Program.objects.filter(predecessor=program).first()
    if successor is None:
        successor = services.program_new_version(program=program, user=registrar)
        successor.effort_hours = 55
        successor.description += " Version 2 adds a module on data validation pipelines."
        successor.save()
    _publish(successor, registrar, approver)


def _load_unpublished(institution, subjects, competencies, registrar):
    """Programs still moving through review, so the registrar's workflow has something to act on."""
    for code, title, status_action in [
        ("DATA-302", "Deep Learning in Practice", None),
        ("CYB-301", "Cloud Security Architecture", "submit"),
    ]:
        program = _upsert_program(
            institution,
            code,
            title=title,
            subject=subjects["data" if code.startswith("DATA") else "cyber"],
            summary=f"A new microcredential in {title.lower()}, in preparation.",
            description=f"{title}: an advanced program under development.",
            learning_outcomes="Design advanced solutions\nEvaluate trade-offs",
            criteria_narrative="Complete the capstone and reach the rubric's pass mark.",
            effort_hours=90,
            credit_value=Decimal(4),
            credit_system="ECTS",
            level=7,
            created_by=registrar,
        )
        if not program.is_frozen:
            _load_rubric(
                program,
                [("Designs a solution", 2, "SWDN"), ("Evaluates trade-offs", 1, "NGA-05")],
                competencies,
            )
        if status_action and program.status == Program.Status.DRAFT:
            services.program_transition(program=program, action=status_action, user=registrar)
