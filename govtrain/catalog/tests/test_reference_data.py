"""The demo's institutes: IMG's three centres with their rooms, and the catalog's themes."""

import pytest
from django.db import IntegrityError

from govtrain import testing as t
from govtrain.catalog import selectors
from govtrain.catalog.models import Centre, Course, Topic, Venue
from govtrain.demo.generate import build_reference_data

pytestmark = pytest.mark.django_db


def test_demo_gives_img_three_centres_with_rooms_and_the_institute_themes() -> None:
    build_reference_data()
    build_reference_data()  # safe to run again

    img = {c.code: c.venues.count() for c in selectors.centres_all() if c.provider.code == "IMG"}
    assert img == {"IMG-TVM": 4, "IMG-KOCHI": 3, "IMG-KKD": 3}
    assert Topic.objects.get(code="RTI").name_ml == "വിവരാവകാശം"
    assert Venue.objects.get(centre__code="IMG-TVM", code="LAB").kind == Venue.Kind.COMPUTER_LAB
    assert selectors.courses_published().count() == 28
    external = Course.objects.get(code="UMOOC-PP")
    assert (external.modality, external.fee_currency) == ("external", "USD")
    modalities = Course.objects.values_list("modality", flat=True)
    assert sorted(set(modalities)) == ["blended", "classroom", "external", "online"]
    assert list(modalities).count("online") == 6
    fees = Course.objects.filter(modality="external").values_list("fee_currency", flat=True)
    assert set(fees) == {"USD", "INR"}
    assert Course.objects.get(code="NIRDPR-GPDP").provider.kind == "national_institute"


def test_a_room_code_is_unique_within_its_centre_and_has_seats() -> None:
    centre = Centre.objects.create(
        provider=t.make_provider("IMG"), code="IMG-TVM", name_en="IMG", district=t.make_district()
    )
    Venue.objects.create(centre=centre, code="SC1", kind="classroom", capacity=40, name_en="Room")

    with pytest.raises(IntegrityError):
        Venue.objects.create(
            centre=centre, code="SC1", kind="classroom", capacity=30, name_en="Again"
        )


def test_a_room_without_seats_is_refused() -> None:
    centre = Centre.objects.create(
        provider=t.make_provider("IMG"), code="IMG-TVM", name_en="IMG", district=t.make_district()
    )

    with pytest.raises(IntegrityError):
        Venue.objects.create(centre=centre, code="X", kind="classroom", capacity=0, name_en="X")
