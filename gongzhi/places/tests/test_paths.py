"""The path-prefix filter matches exactly the rows under a place, on every database."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongzhi.core.paths import collapse, is_under, under
from gongzhi.places.models import Division

segment = st.sampled_from(["3702", "370202", "370203", "370202001", "b1", "b12", "b2", "c", "0", "9"])
paths = st.lists(segment, min_size=1, max_size=4).map(lambda parts: "/".join(parts) + "/")


@pytest.mark.django_db
@settings(max_examples=30, deadline=None)
@given(st.lists(paths, min_size=1, max_size=12, unique=True), paths)
def test_under_matches_the_prefix_rule(stored, prefix):
    Division.objects.all().delete()
    Division.objects.bulk_create(
        [Division(code=str(i), name=p, level="city", path=p) for i, p in enumerate(stored)]
    )
    found = set(Division.objects.filter(under(prefix)).values_list("path", flat=True))
    assert found == {p for p in stored if p.startswith(prefix)}


def test_collapse_and_is_under():
    assert set(collapse(["37/3702/", "37/3702/370202/", "37/3703/"])) == {"37/3702/", "37/3703/"}
    assert is_under("37/3702/370202/", ["37/3702/"]) and not is_under("37/3703/", ["37/3702/"])
