"""Build the demo organisation and write a synthetic HR export for it.

Deterministic (a fixed seed), bilingual, in proportion to reality: most people in the
subordinate service, most offices in the three focus districts. The employees go in
through the real import pipeline, as a state's HR export would.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from govtrain.catalog.models import Centre, Course, Provider, Topic, Venue
from govtrain.demo import reference as ref
from govtrain.organisation.models import Department, District, LocalBody, Office
from govtrain.people.models import Cadre, Designation, ServiceClass

FIRST_PEN = 9000001
# Offices the demo's logins work in: staffed at every scale.
ALWAYS_STAFFED = {
    "IMG-TVM",
    "IMG-EKM",
    "IMG-KKD",
    "KILA-TSR",
    "REV-EKM",
    "REV-TVM",
    "REV-TVM-01",
    "REV-TVM-01-V1",
}
# Training institutes that are offices of a department (their staff are employees).
INSTITUTE_OFFICES = {
    "PARD": [
        ("IMG-TVM", "TVM", "IMG Thiruvananthapuram", "ഐ.എം.ജി. തിരുവനന്തപുരം"),
        ("IMG-EKM", "EKM", "IMG Regional Centre, Kochi", "ഐ.എം.ജി. പ്രാദേശിക കേന്ദ്രം, കൊച്ചി"),
        ("IMG-KKD", "KKD", "IMG Regional Centre, Kozhikode", "ഐ.എം.ജി. പ്രാദേശിക കേന്ദ്രം, കോഴിക്കോട്"),
    ],
    "LSGD": [("KILA-TSR", "TSR", "KILA, Thrissur", "കില, തൃശ്ശൂർ")],
}
CSV_COLUMNS = [
    "pen",
    "name_en",
    "name_ml",
    "gender",
    "service_class",
    "cadre",
    "designation",
    "office",
    "date_of_joining",
    "status",
    "email",
    "phone",
    "controlling_officer_pen",
]


@dataclass(frozen=True)
class OfficePlan:
    code: str
    department: str
    district: str
    kind: str  # key into reference.STAFF
    focus: bool


def _upsert(model: type, code: str, **values: object) -> object:
    obj, _created = model.objects.update_or_create(code=code, defaults=values)  # type: ignore[attr-defined]  # any model with a code
    return obj


@transaction.atomic
def build_reference_data() -> None:
    """Districts, local bodies, departments, classes, cadres, designations, providers."""
    for code, en, ml in ref.DISTRICTS:
        _upsert(District, code, name_en=en, name_ml=ml)
    for code, en, ml, _w in ref.DEPARTMENTS:
        _upsert(Department, code, name_en=en, name_ml=ml)
    for code, en, ml, group, rank in ref.SERVICE_CLASSES:
        _upsert(ServiceClass, code, name_en=en, name_ml=ml, national_group=group, rank=rank)
    for code, en, ml in ref.CADRES:
        _upsert(Cadre, code, name_en=en, name_ml=ml)
    for code, en, ml, _cls, _seniority in ref.DESIGNATIONS:
        _upsert(Designation, code, name_en=en, name_ml=ml)
    for code, en, ml, kind, site in ref.PROVIDERS:
        _upsert(Provider, code, name_en=en, name_ml=ml, kind=kind, website=site)
    districts = {d.code: d for d in District.objects.all()}
    for provider, code, district, en, ml, rooms in ref.CENTRES:
        centre, _created = Centre.objects.update_or_create(
            code=code,
            defaults={
                "name_en": en,
                "name_ml": ml,
                "district": districts[district],
                "provider": Provider.objects.get(code=provider),
            },
        )
        for room, kind, seats, room_en, room_ml in rooms:
            Venue.objects.update_or_create(
                centre=centre,
                code=room,
                defaults={"kind": kind, "capacity": seats, "name_en": room_en, "name_ml": room_ml},
            )
    for code, en, ml in ref.TOPICS:
        _upsert(Topic, code, name_en=en, name_ml=ml)
    _build_courses()
    _build_local_bodies()


def _build_courses() -> None:
    providers = {p.code: p for p in Provider.objects.all()}
    topics = {t.code: t for t in Topic.objects.all()}
    designations = {d.code: d for d in Designation.objects.all()}
    for (
        code,
        provider,
        topic,
        modality,
        hours,
        en,
        ml,
        languages,
        fee,
        currency,
        for_designations,
    ) in ref.COURSES:
        course, _created = Course.objects.update_or_create(
            code=code,
            defaults={
                "provider": providers[provider],
                "topic": topics[topic],
                "modality": modality,
                "hours": hours,
                "title_en": en,
                "title_ml": ml,
                "languages": languages,
                "fee": fee,
                "fee_currency": currency,
                "is_published": True,
            },
        )
        course.target_designations.set([designations[d] for d in for_designations])


def _place_names(rng: random.Random) -> Iterator[tuple[str, str]]:
    pairs = [(h + t, hm + tm) for h, hm in ref.PLACE_HEADS for t, tm in ref.PLACE_TAILS]
    rng.shuffle(pairs)
    yield from pairs


def _build_local_bodies() -> None:
    rng = random.Random(7)
    districts = {d.code: d for d in District.objects.all()}
    kinds = LocalBody.Kind
    for code, en, ml in ref.CORPORATIONS:
        _upsert(
            LocalBody,
            f"C-{code}",
            name_en=en,
            name_ml=ml,
            kind=kinds.CORPORATION,
            district=districts[code],
        )
    for code, en, ml in ref.DISTRICTS:
        _upsert(
            LocalBody,
            f"D-{code}",
            name_en=f"{en} District Panchayat",
            name_ml=f"{ml} ജില്ലാ പഞ്ചായത്ത്",
            kind=kinds.DISTRICT_PANCHAYAT,
            district=districts[code],
        )
    for district, (grama, block, municipal) in ref.LOCAL_BODY_COUNTS.items():
        names = _place_names(rng)  # place names repeat across districts, as in Kerala
        for prefix, kind, count, known, suffix_en, suffix_ml in (
            ("G", kinds.GRAMA_PANCHAYAT, grama, ref.KNOWN_GRAMA, "Grama Panchayat", "ഗ്രാമപഞ്ചായത്ത്"),
            ("B", kinds.BLOCK_PANCHAYAT, block, ref.KNOWN_BLOCK, "Block Panchayat", "ബ്ലോക്ക് പഞ്ചായത്ത്"),
            ("M", kinds.MUNICIPALITY, municipal, ref.KNOWN_MUNICIPALITIES, "Municipality", "നഗരസഭ"),
        ):
            places = list(known.get(district, []))
            while len(places) < count:
                places.append(next(names))
            for n, (en, ml) in enumerate(places[:count], start=1):
                _upsert(
                    LocalBody,
                    f"{prefix}-{district}-{n:03d}",
                    name_en=f"{en} {suffix_en}",
                    name_ml=f"{ml} {suffix_ml}",
                    kind=kind,
                    district=districts[district],
                )


@transaction.atomic
def build_offices() -> list[OfficePlan]:
    """The office tree of every department, parents before children. Returns the plan
    in that order, for staffing."""
    districts = {d.code: d for d in District.objects.all()}
    departments = {d.code: d for d in Department.objects.all()}
    existing = {o.code: o for o in Office.objects.all()}
    plan: list[OfficePlan] = []
    pending: list[Office] = []

    def office(
        code: str,
        en: str,
        ml: str,
        dept: str,
        district: str,
        parent: Office | None,
        kind: str,
        local_body: LocalBody | None = None,
    ) -> Office:
        obj = existing.get(code)
        if obj is None:
            obj = Office(
                code=code,
                name_en=en,
                name_ml=ml,
                department=departments[dept],
                district=districts[district],
                parent=parent,
                local_body=local_body,
                path=Office.path_for(code=code, parent=parent),
            )
            pending.append(obj)
            existing[code] = obj
        plan.append(OfficePlan(code, dept, district, kind, district in ref.FOCUS_DISTRICTS))
        return obj

    def flush() -> None:
        Office.objects.bulk_create(pending, batch_size=1000)
        pending.clear()

    for dept, en, ml, _w in ref.DEPARTMENTS:
        secretariat = office(
            f"{dept}-SEC",
            f"{en} Department, Government Secretariat",
            f"{ml} വകുപ്പ്, ഗവൺമെന്റ് സെക്രട്ടേറിയറ്റ്",
            dept,
            "TVM",
            None,
            "SECRETARIAT",
        )
        flush()
        directorate = office(
            f"{dept}-DIR",
            f"Directorate of {en}",
            f"{ml} ഡയറക്ടറേറ്റ്",
            dept,
            "TVM",
            secretariat,
            "DEFAULT",
        )
        flush()
        for code, district, en_name, ml_name in INSTITUTE_OFFICES.get(dept, []):
            office(code, en_name, ml_name, dept, district, directorate, "DEFAULT")
        flush()
        head_en, head_ml = ref.DISTRICT_OFFICE[dept]
        for dcode, den, dml in ref.DISTRICTS:
            district_office = office(
                f"{dept}-{dcode}",
                f"{head_en}, {den}",
                f"{head_ml}, {dml}",
                dept,
                dcode,
                directorate,
                dept if dept in ref.STAFF else "DEFAULT",
            )
            flush()
            for sub_en, sub_ml, count in ref.SUB_OFFICES.get(dept, []):
                for n in range(1, count + 1):
                    kind = (
                        "REV:taluk" if dept == "REV" else (dept if dept in ref.STAFF else "DEFAULT")
                    )
                    sub = office(
                        f"{dept}-{dcode}-{n:02d}",
                        f"{sub_en} {n}, {den}",
                        f"{sub_ml} {n}, {dml}",
                        dept,
                        dcode,
                        district_office,
                        kind,
                    )
                    if dept == "REV":
                        flush()
                        for v in range(1, ref.VILLAGES_PER_TALUK + 1):
                            office(
                                f"REV-{dcode}-{n:02d}-V{v}",
                                f"Village Office {n}.{v}, {den}",
                                f"വില്ലേജ് ഓഫീസ് {n}.{v}, {dml}",
                                "REV",
                                dcode,
                                sub,
                                "REV:village",
                            )
            flush()
    # Each local body's own office, under the LSGD district office; a Krishi Bhavan in each
    # grama panchayat, under the agriculture district office.
    for lb in LocalBody.objects.select_related("district").order_by("code"):
        d = lb.district.code
        office(
            f"LSG-{lb.code}",
            f"Office of {lb.name_en}",
            f"{lb.name_ml} ഓഫീസ്",
            "LSGD",
            d,
            existing[f"LSGD-{d}"],
            "LSGD",
            local_body=lb,
        )
        if lb.kind == LocalBody.Kind.GRAMA_PANCHAYAT:
            office(
                f"KB-{lb.code}",
                f"Krishi Bhavan, {lb.name_en}",
                f"കൃഷിഭവൻ, {lb.name_ml}",
                "AGRI",
                d,
                existing[f"AGRI-{d}"],
                "AGRI",
                local_body=lb,
            )
    flush()
    return plan


def write_employees_csv(path: Path, plan: list[OfficePlan], target: int, seed: int = 42) -> int:
    """Write about `target` employees into an HR-export CSV; returns the rows written."""
    rng = random.Random(seed)
    designation_class = {code: cls for code, _en, _ml, cls, _s in ref.DESIGNATIONS}
    # Weight offices: heads and staff lists give each kind a natural size; the focus
    # districts carry most people.
    weights = [(len(ref.STAFF[p.kind][1]) + 1) * (3.0 if p.focus else 0.6) for p in plan]
    factor = target / sum(weights)
    heads: dict[str, str] = {}  # office code -> PEN of its head
    parent_of = dict(Office.objects.values_list("code", "parent__code"))
    pen = FIRST_PEN
    written = 0
    start = dt.date(1990, 1, 1).toordinal()
    span = dt.date(2025, 6, 1).toordinal() - start
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_COLUMNS)
        for office, weight in zip(plan, weights, strict=True):
            head_code, staff = ref.STAFF[office.kind]
            team = len(staff) + 1
            expected = weight * factor
            # Below a full team, staff a whole team at some offices rather than a lone
            # head at each: that keeps the mix of grades realistic at small scales.
            if expected < team:
                staffed = (
                    office.code in ALWAYS_STAFFED
                    or office.code.endswith(("-SEC", "-DIR"))
                    or rng.random() < expected / team
                )
                size = team if staffed else 0
            else:
                size = round(expected)
            if size == 0 or written >= target:
                continue
            parent_head = _nearest_head(parent_of.get(office.code), parent_of, heads)
            for i in range(min(size, target - written)):
                designation = head_code if i == 0 else staff[(i - 1) % len(staff)]
                female = rng.random() < 0.52
                given, given_ml = rng.choice(ref.GIVEN_NAMES_F if female else ref.GIVEN_NAMES_M)
                initial, initial_ml = rng.choice(ref.INITIALS)
                status = (
                    rng.choices(["active", "on_leave", "deputation", "retired"], [96, 2, 1, 1])[0]
                    if i
                    else "active"
                )
                officer = parent_head if i == 0 else heads.get(office.code, "")
                writer.writerow(
                    [
                        pen,
                        f"{given} {initial}.",
                        f"{given_ml} {initial_ml}.",
                        "F" if female else "M",
                        designation_class[designation],
                        ref.CADRE_OF_DEPARTMENT.get(office.department, "MIN"),
                        designation,
                        office.code,
                        dt.date.fromordinal(start + rng.randrange(span)).isoformat(),
                        status,
                        f"{given.split()[0].lower()}.{pen}@demo.invalid",
                        f"+91 94{rng.randrange(10**8):08d}",
                        officer or "",
                    ]
                )
                if i == 0:
                    heads[office.code] = str(pen)
                pen += 1
                written += 1
    return written


def _nearest_head(code: str | None, parent_of: dict[str, Any], heads: dict[str, str]) -> str:
    while code:
        if code in heads:
            return heads[code]
        code = parent_of.get(code)
    return ""
