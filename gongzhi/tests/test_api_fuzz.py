"""Issue 15: schemathesis over the whole OpenAPI schema (bounded here; `make bench` runs it long)."""

from __future__ import annotations

import pytest

from gongzhi.accounts.roles import Role
from gongzhi.accounts.services import token_issue
from gongzhi.tests.factories import user_with
from gongzhi.tests.fuzz import fuzz

EXAMPLES = 8  # per operation: a few minutes in all on a loaded machine


@pytest.mark.django_db
def test_every_operation_answers_as_its_schema_says_and_never_500(tree) -> None:  # type: ignore[no-untyped-def]
    admin = user_with(Role.DISTRICT_ADMIN, tree.d("370202"))
    _token, key = token_issue(actor=admin, user=admin)
    report = fuzz({"Authorization": f"Token {key}"}, EXAMPLES)
    print(
        f"\nschemathesis: {report.operations} operations, {report.cases} cases, statuses {dict(report.statuses)}"
    )
    print("\n".join(report.failures))
    assert report.operations > 10 and report.cases > report.operations
    # The fuzz must reach the views, not stop at the door: most cases are answered as a signed-in user.
    assert report.statuses.get(403, 0) < report.cases / 2, report.statuses
    assert report.server_errors == 0, report.failures
    assert report.failures == []
