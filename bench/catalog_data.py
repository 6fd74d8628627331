"""A state-scale catalog for the benchmarks: 5,000 bilingual courses and their batches.

The demo's reference data (govtrain.demo.reference: 5 providers, 16 topics, 20 courses)
is the start; this adds three providers with their centres, sub-topics, and courses
written the way institutes write them ("Refresher course on the Kerala Financial Code
for accounts staff" / "അക്കൗണ്ട്സ് ജീവനക്കാർക്ക് കേരള ഫിനാൻഷ്യൽ കോഡ്: പുനഃപരിശീലനം"),
some English only and some Malayalam typed with the older chillu encoding. Classroom
and blended courses get batches over the coming year, each with its timetable, and a
share of those batches already hold nominations and enrolments of random employees, so
that the course page counts seats and the nomination checks look through real tables.

The vocabulary needs no Django (bench.catalog builds its queries from it); `generate`
runs inside a bench step (`python -m bench.django_steps catalog`). Seeded: the same
arguments give the same catalog.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal
from typing import Any

SEED = 20251124
COURSES = 5000  # in the whole catalog, the demo's 20 included
CODE_PREFIX = "B"  # generated course codes: B-IMG-RTI-0042

# Subjects by topic: (English, Malayalam, sub-topic code or "").
SUBJECTS: dict[str, list[tuple[str, str, str]]] = {
    "LEAD": [
        ("Leadership in public service", "പൊതുസേവനത്തിലെ നേതൃത്വം", ""),
        ("Decision making and delegation", "തീരുമാനമെടുക്കലും ചുമതല ഏൽപ്പിക്കലും", ""),
        ("Team building", "ടീം രൂപീകരണം", ""),
        ("Change management", "മാറ്റ നിർവഹണം", ""),
        ("Ethics and integrity in governance", "ഭരണത്തിലെ ധാർമ്മികതയും സത്യസന്ധതയും", ""),
    ],
    "SOFT": [
        ("Communication skills", "ആശയവിനിമയ നൈപുണ്യം", ""),
        ("Office automation with computers", "കമ്പ്യൂട്ടർ ഉപയോഗിച്ചുള്ള ഓഫീസ് ഓട്ടോമേഷൻ", ""),
        ("Malayalam computing and Unicode typing", "മലയാളം കമ്പ്യൂട്ടിംഗും യൂണിക്കോഡ് ടൈപ്പിംഗും", ""),
        ("Spreadsheets for office work", "ഓഫീസ് ജോലിക്ക് സ്പ്രെഡ്ഷീറ്റുകൾ", ""),
        ("Presentation skills", "അവതരണ നൈപുണ്യം", ""),
        ("Time management", "സമയ നിർവഹണം", ""),
    ],
    "ENV": [
        ("Green protocol in offices", "ഓഫീസുകളിലെ ഹരിത പെരുമാറ്റച്ചട്ടം", ""),
        ("Solid waste management", "ഖരമാലിന്യ സംസ്കരണം", ""),
        ("Climate change adaptation", "കാലാവസ്ഥാ വ്യതിയാന അനുരൂപീകരണം", ""),
        ("Sustainable development goals", "സുസ്ഥിര വികസന ലക്ഷ്യങ്ങൾ", ""),
    ],
    "FIN": [
        ("Kerala Financial Code", "കേരള ഫിനാൻഷ്യൽ കോഡ്", ""),
        ("Public procurement and e-tendering", "പൊതു സംഭരണവും ഇ-ടെൻഡറിംഗും", "FIN-PROC"),
        ("Store purchase rules", "സ്റ്റോർ പർച്ചേസ് ചട്ടങ്ങൾ", "FIN-PROC"),
        ("Budget preparation and expenditure control", "ബജറ്റ് തയ്യാറാക്കലും ചെലവ് നിയന്ത്രണവും", ""),
        ("Treasury procedures and bill preparation", "ട്രഷറി നടപടിക്രമങ്ങളും ബിൽ തയ്യാറാക്കലും", ""),
        ("Audit objections and replies", "ഓഡിറ്റ് തടസ്സങ്ങളും മറുപടികളും", "FIN-AUDIT"),
        ("Internal audit", "ആഭ്യന്തര ഓഡിറ്റ്", "FIN-AUDIT"),
        ("GST for government departments", "സർക്കാർ വകുപ്പുകൾക്ക് ജി.എസ്.ടി.", ""),
    ],
    "EGOV": [
        ("e-Office file management", "ഇ-ഓഫീസ് ഫയൽ നിർവഹണം", "EGOV-EOFFICE"),
        ("e-Office for section staff", "സെക്ഷൻ ജീവനക്കാർക്ക് ഇ-ഓഫീസ്", "EGOV-EOFFICE"),
        ("SPARK payroll and service records", "സ്പാർക്ക് ശമ്പളവും സേവന രേഖകളും", ""),
        ("Cyber security awareness", "സൈബർ സുരക്ഷാ ബോധവൽക്കരണം", "EGOV-CYBER"),
        ("Data protection and privacy", "ഡാറ്റ സംരക്ഷണവും സ്വകാര്യതയും", "EGOV-CYBER"),
        ("Digital signatures and e-services", "ഡിജിറ്റൽ ഒപ്പും ഇ-സേവനങ്ങളും", ""),
        ("Data analytics for decision making", "തീരുമാനമെടുക്കലിനുള്ള ഡാറ്റ വിശകലനം", "EGOV-DATA"),
        ("Dashboards and open data", "ഡാഷ്ബോർഡുകളും ഓപ്പൺ ഡാറ്റയും", "EGOV-DATA"),
    ],
    "STRESS": [
        ("Stress management", "മാനസിക സമ്മർദ്ദ നിയന്ത്രണം", ""),
        ("Work-life balance", "ജോലിയും ജീവിതവും തമ്മിലുള്ള സന്തുലനം", ""),
        ("Yoga and wellness", "യോഗയും ആരോഗ്യവും", ""),
    ],
    "DM": [
        ("Disaster preparedness", "ദുരന്ത മുന്നൊരുക്കം", ""),
        ("Flood and landslide response", "പ്രളയ, ഉരുൾപൊട്ടൽ പ്രതികരണം", "DM-FLOOD"),
        ("Early warning and evacuation", "മുൻകൂർ മുന്നറിയിപ്പും ഒഴിപ്പിക്കലും", "DM-FLOOD"),
        ("Incident response system", "സംഭവ പ്രതികരണ സംവിധാനം", ""),
        ("Relief camp management", "ദുരിതാശ്വാസ ക്യാമ്പ് നിർവഹണം", ""),
    ],
    "TQM": [
        ("Quality circles", "ക്വാളിറ്റി സർക്കിളുകൾ", ""),
        ("ISO certification for offices", "ഓഫീസുകൾക്ക് ഐ.എസ്.ഒ. സർട്ടിഫിക്കേഷൻ", ""),
        ("Five S workplace management", "ഫൈവ് എസ് തൊഴിലിട നിർവഹണം", ""),
    ],
    "INCL": [
        ("Gender sensitisation", "ലിംഗസമത്വ ബോധവൽക്കരണം", ""),
        ("Prevention of sexual harassment at the workplace", "തൊഴിലിടത്തിലെ ലൈംഗികാതിക്രമം തടയൽ", ""),
        ("Rights of persons with disabilities", "ഭിന്നശേഷിക്കാരുടെ അവകാശങ്ങൾ", ""),
        ("Welfare schemes for Scheduled Castes and Tribes", "പട്ടികജാതി, പട്ടികവർഗ ക്ഷേമപദ്ധതികൾ", ""),
    ],
    "TOT": [
        ("Training of trainers", "പരിശീലകർക്കുള്ള പരിശീലനം", ""),
        ("Adult learning methods", "മുതിർന്നവരുടെ പഠനരീതികൾ", ""),
        ("Designing e-learning content", "ഇ-ലേണിംഗ് ഉള്ളടക്കം തയ്യാറാക്കൽ", ""),
    ],
    "RTI": [
        ("Right to Information Act", "വിവരാവകാശ നിയമം", ""),
        ("RTI appeals", "വിവരാവകാശ അപ്പീലുകൾ", ""),
        ("Proactive disclosure under section 4", "വകുപ്പ് 4 പ്രകാരമുള്ള സ്വമേധയാ വെളിപ്പെടുത്തൽ", ""),
    ],
    "GPR": [
        ("Government process re-engineering", "ഭരണപ്രക്രിയ പുനഃക്രമീകരണം", ""),
        ("File tracking and disposal", "ഫയൽ ട്രാക്കിംഗും തീർപ്പാക്കലും", ""),
        ("Simplifying office procedures", "ഓഫീസ് നടപടിക്രമങ്ങൾ ലളിതമാക്കൽ", ""),
    ],
    "SD": [
        ("Citizen's charter and service delivery", "പൗരാവകാശ രേഖയും സേവന വിതരണവും", ""),
        ("Right to Service Act", "സേവനാവകാശ നിയമം", ""),
        ("Grievance redressal", "പരാതി പരിഹാരം", ""),
        ("Front office management", "ഫ്രണ്ട് ഓഫീസ് നിർവഹണം", ""),
    ],
    "DP": [
        ("Decentralised planning", "വികേന്ദ്രീകൃത ആസൂത്രണം", ""),
        ("Preparing the annual plan of a local body", "തദ്ദേശ സ്ഥാപനത്തിന്റെ വാർഷിക പദ്ധതി തയ്യാറാക്കൽ", ""),
        ("Grama sabha and social audit", "ഗ്രാമസഭയും സാമൂഹിക ഓഡിറ്റും", ""),
        ("Kerala Panchayat Raj Act", "കേരള പഞ്ചായത്ത് രാജ് നിയമം", ""),
    ],
    "LAND": [
        ("Land records and mutation", "ഭൂരേഖകളും പോക്കുവരവും", ""),
        ("Digital survey and ReLIS", "ഡിജിറ്റൽ സർവേയും റെലിസും", "LAND-SURVEY"),
        ("Resurvey and boundary disputes", "റീസർവേയും അതിർത്തി തർക്കങ്ങളും", "LAND-SURVEY"),
        ("Land acquisition and rehabilitation", "ഭൂമി ഏറ്റെടുക്കലും പുനരധിവാസവും", ""),
        ("Revenue recovery", "റവന്യൂ റിക്കവറി", ""),
        ("Paddy land and wetland conservation", "നെൽവയൽ തണ്ണീർത്തട സംരക്ഷണം", ""),
    ],
    "RULES": [
        ("Kerala Service Rules", "കേരള സർവീസ് ചട്ടങ്ങൾ", "RULES-KSR"),
        ("Pay fixation and pension", "ശമ്പള നിർണ്ണയവും പെൻഷനും", "RULES-KSR"),
        ("Leave rules", "അവധി ചട്ടങ്ങൾ", "RULES-KSR"),
        ("Noting and drafting", "കുറിപ്പും കരടും തയ്യാറാക്കൽ", ""),
        ("Disciplinary proceedings", "അച്ചടക്ക നടപടികൾ", "RULES-DISC"),
        ("Office procedure manual", "ഓഫീസ് നടപടിക്രമ മാനുവൽ", ""),
    ],
}

# Sub-topics: (code, parent, English, Malayalam).
SUBTOPICS = [
    ("EGOV-EOFFICE", "EGOV", "e-Office", "ഇ-ഓഫീസ്"),
    ("EGOV-CYBER", "EGOV", "Cyber security", "സൈബർ സുരക്ഷ"),
    ("EGOV-DATA", "EGOV", "Data and analytics", "ഡാറ്റയും വിശകലനവും"),
    ("FIN-PROC", "FIN", "Public procurement", "പൊതു സംഭരണം"),
    ("FIN-AUDIT", "FIN", "Audit", "ഓഡിറ്റ്"),
    ("RULES-KSR", "RULES", "Kerala Service Rules", "കേരള സർവീസ് ചട്ടങ്ങൾ"),
    ("RULES-DISC", "RULES", "Discipline", "അച്ചടക്കം"),
    ("DM-FLOOD", "DM", "Floods and landslides", "പ്രളയവും ഉരുൾപൊട്ടലും"),
    ("LAND-SURVEY", "LAND", "Survey", "സർവേ"),
]

# Who a course is for: (English, Malayalam in the dative, designations it targets).
AUDIENCES = [
    ("", "", []),
    ("clerks", "ക്ലർക്കുമാർക്ക്", ["CLK", "SRCL"]),
    ("section officers", "സെക്ഷൻ ഓഫീസർമാർക്ക്", ["SO"]),
    ("village officers", "വില്ലേജ് ഓഫീസർമാർക്ക്", ["VO"]),
    ("heads of offices", "ഓഫീസ് മേധാവികൾക്ക്", []),
    ("local-body secretaries", "തദ്ദേശ സ്ഥാപന സെക്രട്ടറിമാർക്ക്", ["GPSEC", "ASEC"]),
    ("accounts staff", "അക്കൗണ്ട്സ് ജീവനക്കാർക്ക്", ["ACC", "HC"]),
    ("new entrants", "പുതിയ ജീവനക്കാർക്ക്", []),
    ("gazetted officers", "ഗസറ്റഡ് ഉദ്യോഗസ്ഥർക്ക്", []),
    ("teachers", "അധ്യാപകർക്ക്", ["HST", "HM"]),
    ("health staff", "ആരോഗ്യ ജീവനക്കാർക്ക്", ["MO", "SN", "JHI"]),
    ("engineers", "എഞ്ചിനീയർമാർക്ക്", ["AE", "OVS"]),
    ("public information officers", "പബ്ലിക് ഇൻഫർമേഷൻ ഓഫീസർമാർക്ക്", []),
    ("elected representatives", "ജനപ്രതിനിധികൾക്ക്", []),
    ("office attendants", "ഓഫീസ് അറ്റൻഡന്റുമാർക്ക്", ["OA"]),
]

# How a programme is named: (English, Malayalam), {s} the subject.
FORMATS = [
    ("{s}", "{s}"),
    ("Introduction to {s}", "{s}: ആമുഖം"),
    ("Advanced course in {s}", "{s}: ഉന്നത പരിശീലനം"),
    ("Refresher course on {s}", "{s}: പുനഃപരിശീലനം"),
    ("Workshop on {s}", "{s}: ശിൽപശാല"),
    ("Certificate course in {s}", "{s}: സർട്ടിഫിക്കറ്റ് കോഴ്സ്"),
    ("{s}: case studies", "{s}: കേസ് പഠനങ്ങൾ"),
]

METHODS = [
    ("case studies", "കേസ് പഠനങ്ങൾ"),
    ("group exercises", "ഗ്രൂപ്പ് പ്രവർത്തനങ്ങൾ"),
    ("recent government orders", "പുതിയ സർക്കാർ ഉത്തരവുകൾ"),
    ("field visits", "ഫീൽഡ് സന്ദർശനങ്ങൾ"),
    ("hands-on practice", "പ്രായോഗിക പരിശീലനം"),
]

# Providers the demo lacks: (code, English, Malayalam, kind, centre code, district,
# centre English, centre Malayalam, [(room, kind, seats, English, Malayalam)]).
EXTRA_PROVIDERS = [
    (
        "SIRD",
        "State Institute of Rural Development",
        "സംസ്ഥാന ഗ്രാമവികസന ഇൻസ്റ്റിറ്റ്യൂട്ട്",
        "state_institute",
        "SIRD-KLM",
        "KLM",
        "SIRD Campus, Kottarakkara",
        "എസ്.ഐ.ആർ.ഡി. ക്യാമ്പസ്, കൊട്ടാരക്കര",
        [
            ("HALL", "auditorium", 150, "Hall", "ഹാൾ"),
            ("CR1", "classroom", 45, "Classroom", "ക്ലാസ്മുറി"),
        ],
    ),
    (
        "SIEMAT",
        "State Institute of Educational Management and Training",
        "സംസ്ഥാന വിദ്യാഭ്യാസ മാനേജ്മെന്റ് പരിശീലന ഇൻസ്റ്റിറ്റ്യൂട്ട്",
        "state_institute",
        "SIEMAT-TVM",
        "TVM",
        "SIEMAT, Thiruvananthapuram",
        "സീമാറ്റ്, തിരുവനന്തപുരം",
        [("CR1", "smart_classroom", 40, "Smart classroom", "സ്മാർട്ട് ക്ലാസ്മുറി")],
    ),
    (
        "CDIT",
        "Centre for Development of Imaging Technology",
        "സെന്റർ ഫോർ ഡെവലപ്മെന്റ് ഓഫ് ഇമേജിംഗ് ടെക്നോളജി",
        "state_institute",
        "CDIT-TVM",
        "TVM",
        "C-DIT Training Centre, Thiruvananthapuram",
        "സി-ഡിറ്റ് പരിശീലന കേന്ദ്രം, തിരുവനന്തപുരം",
        [("LAB1", "computer_lab", 30, "Computer lab 1", "കമ്പ്യൂട്ടർ ലാബ് 1")],
    ),
]

# Share of the catalog each provider offers, and the topics it teaches (empty: all).
PROVIDER_MIX = [
    ("IMG", 40, []),
    ("KILA", 14, ["DP", "SD", "INCL", "EGOV", "ENV", "FIN", "GPR"]),
    ("ILDM", 8, ["DM", "LAND", "ENV"]),
    ("NOP", 12, ["EGOV", "SOFT", "LEAD", "STRESS", "RTI", "TQM", "FIN"]),
    ("UMOOC", 5, ["LEAD", "FIN", "ENV", "EGOV", "TOT"]),
    ("SIRD", 8, ["DP", "INCL", "ENV", "SD"]),
    ("SIEMAT", 6, ["LEAD", "TOT", "SOFT", "STRESS"]),
    ("CDIT", 7, ["EGOV", "SOFT"]),
]

LANGUAGE_SETS = [["ml"], ["ml"], ["ml", "en"], ["ml", "en"], ["en", "ml", "hi"]]
BATCH_STATUSES = ["scheduled", "cancelled"]

# Malayalam's atomic chillus and their pre-2008 encoding (govtrain.catalog.search).
_LEGACY_CHILLU = {
    "\u0d7a": "\u0d23\u0d4d\u200d",
    "\u0d7b": "\u0d28\u0d4d\u200d",
    "\u0d7c": "\u0d30\u0d4d\u200d",
    "\u0d7d": "\u0d32\u0d4d\u200d",
    "\u0d7e": "\u0d33\u0d4d\u200d",
}


def legacy_chillu(text: str) -> str:
    for atomic, legacy in _LEGACY_CHILLU.items():
        text = text.replace(atomic, legacy)
    return text


def all_subjects() -> list[tuple[str, str, str, str]]:
    """(topic, English, Malayalam, sub-topic) of every subject."""
    return [(topic, en, ml, sub) for topic, items in SUBJECTS.items() for en, ml, sub in items]


def course_texts(rng: random.Random, count: int) -> list[dict[str, Any]]:
    """`count` distinct (subject, audience, format) programmes with their texts."""
    subjects = all_subjects()
    combos = [
        (s, a, f)
        for s in range(len(subjects))
        for a in range(len(AUDIENCES))
        for f in range(len(FORMATS))
    ]
    picked = rng.sample(combos, min(count, len(combos)))
    while len(picked) < count:  # more than the vocabulary holds: repeat titles
        picked.append(rng.choice(combos))
    courses = []
    for s, a, f in picked:
        topic, subject_en, subject_ml, subtopic = subjects[s]
        audience_en, audience_ml, designations = AUDIENCES[a]
        format_en, format_ml = FORMATS[f]
        title_en = format_en.format(s=subject_en)
        if audience_en:
            title_en += f" for {audience_en}"
        title_ml = (f"{audience_ml} " if audience_ml else "") + format_ml.format(s=subject_ml)
        others = [x for x in SUBJECTS[topic] if x[0] != subject_en]
        points = [*rng.sample(others, min(2, len(others))), rng.choice(METHODS)]
        courses.append(
            {
                "topic": subtopic or topic,
                "parent_topic": topic,
                "title_en": title_en[0].upper() + title_en[1:],
                "title_ml": title_ml,
                "subject_en": subject_en,
                "subject_ml": subject_ml,
                "audience_en": audience_en,
                "audience_ml": audience_ml,
                "designations": designations,
                "points": [(p[0], p[1]) for p in points],
            }
        )
    return courses


def summaries(texts: dict[str, Any], *, modality: str, hours: int) -> tuple[str, str]:
    who_en = texts["audience_en"] or "government employees"
    who_ml = texts["audience_ml"] or "സർക്കാർ ജീവനക്കാർക്ക്"
    p = texts["points"]
    if modality in ("online", "external"):
        lead_en = f"A self-paced online course of {hours} hours for {who_en}"
        lead_ml = f"{who_ml} {hours} മണിക്കൂർ സ്വയം പഠിക്കാവുന്ന ഓൺലൈൻ കോഴ്സ്"
    else:
        days = max(1, round(hours / 6))
        lead_en = f"A {days}-day programme for {who_en} on {texts['subject_en']}"
        lead_ml = f"{who_ml} {texts['subject_ml']} സംബന്ധിച്ച {days} ദിവസത്തെ പരിശീലനം"
    en = (
        f"{lead_en}. It covers {p[0][0]}, {p[-2][0]} and {p[-1][0]}, with examples drawn"
        " from Kerala government offices."
    )
    ml = (
        f"{lead_ml}. {p[0][1]}, {p[-2][1]}, {p[-1][1]} എന്നിവ ഉൾപ്പെടുന്നു; കേരളത്തിലെ"
        " സർക്കാർ ഓഫീസുകളിൽ നിന്നുള്ള ഉദാഹരണങ്ങളോടെ."
    )
    return en, ml


def insert_rows(model: Any, fields: list[str], rows: list[tuple[Any, ...]]) -> None:
    """executemany INSERT of rows already in the database's own terms, 2,000 at a time."""
    from django.db import connection

    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(f).column) for f in fields)
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns})"  # noqa: S608 - names from the model
        f" VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 2000):
            cursor.executemany(sql, rows[start : start + 2000])


def generate(
    *, courses: int = COURSES, nominated_share: float = 0.5, seed: int = SEED
) -> dict[str, Any]:
    """Fill the catalog up to `courses` courses, with batches, sessions, nominations and
    enrolments. Does nothing when it was filled before (a reused database). Returns
    counts."""
    from django.db import connection, transaction
    from django.utils import timezone

    from govtrain.catalog.models import Centre, Course, Provider, Topic, Venue
    from govtrain.classroom.models import Batch, Nomination, Session, Step
    from govtrain.organisation.models import District
    from govtrain.people.models import Designation, Employee, ServiceClass
    from govtrain.records.models import Enrolment

    # All or nothing, in one transaction: generated courses mean a reused database.
    if Course.objects.filter(code__startswith=f"{CODE_PREFIX}-").exists():
        return {"courses": Course.objects.count(), "generated": 0}
    # The demo's courses count; those the classroom steps made (BN-...) do not.
    existing = Course.objects.exclude(code__startswith="BN-").count()
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        districts = {d.code: d for d in District.objects.all()}
        for code, en, ml, kind, centre_code, district, c_en, c_ml, rooms in EXTRA_PROVIDERS:
            provider, _c = Provider.objects.update_or_create(
                code=code, defaults={"name_en": en, "name_ml": ml, "kind": kind}
            )
            centre, _c = Centre.objects.update_or_create(
                code=centre_code,
                defaults={
                    "provider": provider,
                    "district": districts[district],
                    "name_en": c_en,
                    "name_ml": c_ml,
                },
            )
            for room, room_kind, seats, r_en, r_ml in rooms:
                Venue.objects.update_or_create(
                    centre=centre,
                    code=room,
                    defaults={
                        "kind": room_kind,
                        "capacity": seats,
                        "name_en": r_en,
                        "name_ml": r_ml,
                    },
                )
        topics = {t.code: t for t in Topic.objects.all()}
        for code, parent, en, ml in SUBTOPICS:
            topics[code], _c = Topic.objects.update_or_create(
                code=code, defaults={"parent": topics[parent], "name_en": en, "name_ml": ml}
            )
        providers = {p.code: p for p in Provider.objects.all()}
        venues: dict[int, list[Any]] = {}
        for venue in Venue.objects.select_related("centre"):
            venues.setdefault(venue.centre.provider_id, []).append(venue)
        designations = {d.code: d.pk for d in Designation.objects.all()}
        classes = list(ServiceClass.objects.values_list("pk", flat=True))

        texts = course_texts(rng, courses - existing)
        mix_codes = [code for code, _w, _t in PROVIDER_MIX]
        mix_weights = [w for _c, w, _t in PROVIDER_MIX]
        mix_topics = {code: topics_ for code, _w, topics_ in PROVIDER_MIX}
        new_courses = []
        numbers: dict[str, int] = {}
        for item in texts:
            provider_code = rng.choices(mix_codes, mix_weights)[0]
            allowed = mix_topics[provider_code]
            if allowed and item["parent_topic"] not in allowed:
                provider_code = "IMG"  # the state institute teaches every theme
            if provider_code == "NOP":
                modality = "online"
            elif provider_code == "UMOOC":
                modality = "external"
            else:
                modality = rng.choices(["classroom", "blended", "online"], [72, 14, 14])[0]
            hours = rng.choice([6, 6, 12, 12, 12, 18, 18, 24, 30, 36, 60])
            english_only = provider_code in ("UMOOC",) or rng.random() < 0.06
            summary_en, summary_ml = summaries(item, modality=modality, hours=hours)
            title_ml = "" if english_only else item["title_ml"]
            if title_ml and rng.random() < 0.05:
                title_ml = legacy_chillu(title_ml)
                summary_ml = legacy_chillu(summary_ml)
            key = f"{provider_code}-{item['parent_topic']}"
            numbers[key] = numbers.get(key, 0) + 1
            fee, currency = Decimal(0), "INR"
            if modality == "external":
                fee, currency = Decimal(rng.choice([49, 99, 175, 250])), "USD"
            elif rng.random() < 0.04:
                fee = Decimal(rng.choice([500, 1000, 2500]))
            course = Course(
                provider=providers[provider_code],
                code=f"{CODE_PREFIX}-{key}-{numbers[key]:04d}",
                title_en=item["title_en"],
                title_ml=title_ml,
                summary_en=summary_en,
                summary_ml="" if english_only else summary_ml,
                topic=topics[item["topic"]],
                modality=modality,
                hours=Decimal(hours),
                languages=["en"] if english_only else rng.choice(LANGUAGE_SETS),
                fee=fee,
                fee_currency=currency,
                is_published=rng.random() < 0.96,
                created_at=now,
                updated_at=now,
            )
            course._bench_designations = item["designations"]  # type: ignore[attr-defined]
            new_courses.append(course)
        Course.objects.bulk_create(new_courses, batch_size=500)
        saved = {c.code: c for c in Course.objects.filter(code__startswith=f"{CODE_PREFIX}-")}
        by_designation = Course.target_designations.through
        by_class = Course.target_service_classes.through
        prerequisite = Course.prerequisites.through
        designation_rows, class_rows, prerequisite_rows = [], [], []
        published = [saved[c.code] for c in new_courses if c.is_published]
        for course in new_courses:
            pk = saved[course.code].pk
            targeted = course._bench_designations  # type: ignore[attr-defined]
            if targeted and rng.random() < 0.7:
                designation_rows += [
                    by_designation(course_id=pk, designation_id=designations[d])
                    for d in targeted
                    if d in designations
                ]
            if rng.random() < 0.12:
                class_rows += [
                    by_class(course_id=pk, serviceclass_id=c)
                    for c in rng.sample(classes, rng.randint(1, 2))
                ]
            if rng.random() < 0.05:
                other = rng.choice(published)
                if other.pk != pk:
                    prerequisite_rows.append(prerequisite(from_course_id=pk, to_course_id=other.pk))
        by_designation.objects.bulk_create(designation_rows, batch_size=1000)
        by_class.objects.bulk_create(class_rows, batch_size=1000)
        prerequisite.objects.bulk_create(prerequisite_rows, batch_size=1000)

        # Batches over the coming year for classroom and blended courses.
        taught = [
            saved[c.code]
            for c in new_courses
            if c.modality in ("classroom", "blended") and venues.get(c.provider_id)
        ]
        batches = []
        for course in taught:
            for n in range(rng.choice([0, 1, 1, 2, 2, 2, 3, 4])):
                venue = rng.choice(venues[course.provider_id])
                starts_on = today + dt.timedelta(days=rng.randint(3, 365))
                days = max(1, min(5, round(float(course.hours) / 6)))
                batches.append(
                    Batch(
                        course=course,
                        code=f"{course.code}-{n + 1:02d}",
                        centre=venue.centre,
                        venue=venue,
                        starts_on=starts_on,
                        ends_on=starts_on + dt.timedelta(days=days - 1),
                        capacity=min(venue.capacity, rng.choice([25, 30, 40, 50])),
                        nominations_open_on=starts_on - dt.timedelta(days=60),
                        nominations_close_on=starts_on - dt.timedelta(days=7),
                        language=course.languages[0],
                        status=rng.choices(BATCH_STATUSES, [96, 4])[0],
                        created_at=now,
                        updated_at=now,
                    )
                )
        Batch.objects.bulk_create(batches, batch_size=500)
        saved_batches = list(
            Batch.objects.filter(code__startswith=f"{CODE_PREFIX}-").select_related("course")
        )
        # The large tables go in with executemany: the ORM's bulk_create spent half a
        # minute building and preparing 150,000 model instances.
        ops = connection.ops
        at = ops.adapt_datetimefield_value(now)
        slots = [("09:30", "13:00"), ("14:00", "17:00")]
        sessions = [
            (
                batch.pk,
                ops.adapt_datefield_value(batch.starts_on + dt.timedelta(days=day)),
                ops.adapt_timefield_value(dt.time.fromisoformat(start)),
                ops.adapt_timefield_value(dt.time.fromisoformat(end)),
                f"Day {day + 1}: {batch.course.title_en}"[:200],
                at,
                at,
            )
            for batch in saved_batches
            for day in range(batch.days)
            for start, end in slots
        ]
        insert_rows(
            Session,
            ["batch", "date", "starts_at", "ends_at", "title", "created_at", "updated_at"],
            sessions,
        )

        # Seats already taken: random employees in a share of the batches.
        employee_ids = list(Employee.objects.order_by("pk").values_list("pk", flat=True))
        nominations: list[tuple[Any, ...]] = []
        enrolments: list[tuple[Any, ...]] = []
        S = Nomination.Status
        chain = json.dumps([Step.CONTROLLING_OFFICER.value, Step.INSTITUTE.value])
        # At most one employee in eight holds a seat (a small --rows run stays usable).
        most = len(employee_ids) // 8
        for batch in rng.sample(saved_batches, len(saved_batches) if employee_ids else 0):
            if batch.status != Batch.Status.SCHEDULED or rng.random() >= nominated_share:
                continue
            if len(nominations) >= most:
                break
            taken = rng.randint(3, batch.capacity)
            for employee_id in rng.sample(employee_ids, taken):
                status = rng.choices([S.CONFIRMED, S.APPROVED, S.REQUESTED], [5, 3, 2])[0]
                step = "" if status == S.CONFIRMED else Step.INSTITUTE.value
                nominations.append(
                    (batch.pk, employee_id, status, "nomination", chain, step, at, at)
                )
                if status == S.CONFIRMED:
                    enrolments.append(
                        (employee_id, batch.course_id, batch.pk, "enrolled", "0", at, at)
                    )
        insert_rows(
            Nomination,
            ["batch", "employee", "status", "source", "steps", "step", "created_at", "updated_at"],
            nominations,
        )
        insert_rows(
            Enrolment,
            ["employee", "course", "batch", "status", "hours_credited", "created_at", "updated_at"],
            enrolments,
        )
    return {
        "courses": Course.objects.count(),
        "generated": len(new_courses),
        "published": Course.objects.filter(is_published=True).count(),
        "batches": len(saved_batches),
        "sessions": len(sessions),
        "nominations": len(nominations),
        "enrolments": len(enrolments),
        "target_rows": len(designation_rows) + len(class_rows),
        "prerequisites": len(prerequisite_rows),
    }
