"""The map's data travels compressed and carries only what the map reads; the status rows' nightly rebuild
is queued for the task worker the way the snapshots are."""

from __future__ import annotations

import gzip
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from gongzhi.cogovern import mapstatus, selectors
from gongzhi.cogovern.models import CompoundStatus
from gongzhi.cogovern.tasks import status_rebuild
from gongzhi.cogovern.tests.kit import build_kit
from gongzhi.places.models import Compound

pytestmark = pytest.mark.django_db


def test_the_geojson_is_compressed_for_a_browser_that_accepts_it(tree, admin_client) -> None:
    build_kit(tree.compounds[0])
    url = "/cogovern/map/370202/data.geojson"
    plain = admin_client.get(url)
    packed = admin_client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in plain and packed["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(packed.content)) == plain.json()
    props = plain.json()["features"][0]["properties"]
    assert set(props) == {"code", "name", "management", "committee", "red", "url"}


def test_the_rebuild_is_queued_for_the_worker_and_the_task_rebuilds(tree) -> None:
    out = StringIO()
    call_command("cogovern_status_rebuild", enqueue=True, stdout=out)
    assert "已排队" in out.getvalue()
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == "gongzhi.cogovern.tasks.status_rebuild"
    CompoundStatus.objects.all().delete()
    done = status_rebuild.call(path=tree.d("370202").path)
    assert done["compounds"] == Compound.objects.filter(path__under=tree.d("370202").path).count()
    assert CompoundStatus.objects.count() == done["compounds"]


def test_the_written_out_features_equal_the_properties_even_for_a_hostile_name(tree) -> None:
    compound = tree.compounds[0]
    Compound.objects.filter(pk=compound.pk).update(name='"引号"\\斜杠\n<script>换行')
    states = mapstatus.map_states(tree.d("370202").path, outlines=True)
    data = json.loads(selectors.geojson_text(states, lambda code: f"/c/{code}/"))
    drawn = [s for s in states if s.outline and s.outline != "null"]
    assert [f["properties"] for f in data["features"]] == [
        selectors.properties(s, lambda code: f"/c/{code}/") for s in drawn
    ]
    assert any(f["properties"]["name"] == '"引号"\\斜杠\n<script>换行' for f in data["features"])
