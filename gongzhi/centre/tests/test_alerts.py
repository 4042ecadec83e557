"""The scheduled reminders and escalations of service requests: one reminder before the limit, one
escalation after it, nothing twice however often the job runs; answered requests get none."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from gongzhi.centre import services
from gongzhi.centre.alerts import REMIND_DAYS
from gongzhi.centre.models import Enterprise, Industry, RequestAlert, ServiceRequest
from gongzhi.centre.tasks import service_alerts
from gongzhi.centre.tests.helpers import make_centre
from gongzhi.tests.factories import SYSTEM, credit_code, load_divisions

pytestmark = pytest.mark.django_db
FILED = date(2025, 3, 3)  # a Monday; the government item's limit is 3 working days


@pytest.fixture
def world() -> dict[str, Any]:
    made = make_centre(load_divisions()["370202001001"], rooms=1)
    firm = services.enterprise_register(
        actor=SYSTEM,
        centre=made.centre,
        name="青岛诉求企业",
        credit_code=credit_code(5),
        industry=Industry.objects.get(code="C"),
        kind=Enterprise.Kind.TECH_INDUSTRIAL,
    )
    requests = [
        services.service_request_file(actor=SYSTEM, enterprise=firm, item=item, detail="诉求", filed_on=FILED)
        for item in made.items
    ]
    return {"made": made, "requests": requests}


def _alerts() -> set[tuple[int, str]]:
    return set(RequestAlert.objects.values_list("request_id", "kind"))


def test_one_reminder_before_the_limit_and_one_escalation_after(world) -> None:  # type: ignore[no-untyped-def]
    gov, finance, talent = world["requests"]
    assert gov.due_on == date(2025, 3, 6)  # counted in working days
    # Before the reminder window of any request: nothing.
    first = min(r.due_on for r in world["requests"]) - timedelta(days=REMIND_DAYS + 1)
    assert service_alerts.call(on=first.isoformat()) == {"reminded": 0, "escalated": 0}
    # In the window of the government item only.
    day = gov.due_on - timedelta(days=REMIND_DAYS)
    assert service_alerts.call(on=day.isoformat()) == {"reminded": 1, "escalated": 0}
    assert service_alerts.call(on=day.isoformat()) == {"reminded": 0, "escalated": 0}  # idempotent
    alert = RequestAlert.objects.get()
    assert (alert.request_id, alert.to, alert.on) == (gov.pk, gov.item.handler, day)
    # The finance request is answered; the other two pass their limits.
    services.service_request_answer(actor=SYSTEM, request=finance, outcome="已放款", answered_on=day)
    late = max(gov.due_on, talent.due_on) + timedelta(days=1)
    assert service_alerts.call(on=late.isoformat()) == {"reminded": 0, "escalated": 2}
    assert service_alerts.call(on=(late + timedelta(days=5)).isoformat()) == {"reminded": 0, "escalated": 0}
    assert _alerts() == {(gov.pk, "remind"), (gov.pk, "escalate"), (talent.pk, "escalate")}
    escalation = RequestAlert.objects.get(request=talent, kind="escalate")
    assert "区招商部门" in escalation.to and escalation.history.get().history_change_reason
    # The requests page shows them (the handler sees the escalation beside the limit).
    assert ServiceRequest.objects.get(pk=talent.pk).alerts.count() == 1


def test_the_database_refuses_a_second_alert_of_a_kind(world) -> None:  # type: ignore[no-untyped-def]
    gov = world["requests"][0]
    RequestAlert.objects.create(request=gov, kind="remind", on=FILED, to="x", path=gov.path)
    with pytest.raises(IntegrityError), transaction.atomic():
        RequestAlert.objects.create(request=gov, kind="remind", on=FILED, to="x", path=gov.path)


def test_the_command_runs_it_and_refuses_a_bad_day(world) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    late = max(r.due_on for r in world["requests"]) + timedelta(days=1)
    call_command("centre_service_alerts", on=late.isoformat(), stdout=out)
    assert "超时督办 3 件" in out.getvalue()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("centre_service_alerts", on="2025-02-30")
