"""Demo access-log entries, so the demo resident's "my data" page (/me/my-data/) shows who looked.

The demo community worker and district administrator each viewed the demo resident's linked person once,
through the real service (which checks the unmask rule and records role and unit). Idempotent.
"""

from __future__ import annotations

from django.contrib.auth.models import User

from gongzhi.core.registry import person_of_user
from gongzhi.people.masking import may_unmask
from gongzhi.people.models import AccessLog
from gongzhi.people.selectors import person_paths
from gongzhi.people.services import access_log_write

VIEWERS = (("shequ_worker", "home page"), ("shinan_admin", "api"))


def build_access_log(seed: int = 0, resident: str = "jumin") -> int:
    """Log the demo viewers' looks at the resident's person; returns rows written (0 when already there)."""
    user = User.objects.filter(username=resident).first()
    person_id = person_of_user(user) if user is not None else None
    if person_id is None or AccessLog.objects.filter(person_id=person_id).exists():
        return 0
    paths = person_paths(person_id)
    written = 0
    for username, purpose in VIEWERS:
        viewer = User.objects.filter(username=username).first()
        if viewer is not None and may_unmask(viewer, paths):
            written += access_log_write(actor=viewer, persons=[person_id], paths=paths, purpose=purpose)
    return written
