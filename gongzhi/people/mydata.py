"""What the people app holds about a person, for their "my data" page (PIPL art. 44-45: the right to know).

ID number and phone are shown masked even to the person: the page proves what is held without handing a
stolen or shared log-in the full numbers (the person knows their own).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from gongzhi.core.registry import PersonSection
from gongzhi.people.masking import mask_id_number, mask_phone
from gongzhi.people.models import Ownership, Person, Residence
from gongzhi.people.selectors import access_log_of


def _home(h: Any) -> str:
    return f"{h.compound.name} {h.building.number} {h.unit_no}-{h.room}"


def sections(viewer: Any, person_id: int) -> list[PersonSection]:
    person = Person.objects.get(pk=person_id)
    record = PersonSection(
        _("人员信息"),
        columns=(_("姓名"), _("类别"), _("身份证号"), _("手机号"), _("登记时间")),
        rows=[
            (
                person.name,
                person.get_kind_display(),
                mask_id_number(person.id_number) or "—",
                mask_phone(person.phone) or "—",
                person.created_at,
            )
        ],
        order=10,
    )
    related = ("home__compound", "home__building")
    owned = PersonSection(
        _("产权房屋"),
        columns=(_("房屋"), _("份额"), _("起始日期"), _("终止日期")),
        rows=[
            (_home(o.home), o.share.normalize(), o.since or "—", o.until or "—")
            for o in Ownership.objects.filter(person_id=person_id).select_related(*related).order_by("pk")
        ],
        order=20,
    )
    lived = PersonSection(
        _("居住房屋"),
        columns=(_("房屋"), _("关系"), _("入住日期"), _("迁出日期")),
        rows=[
            (_home(r.home), r.get_relation_display(), r.since or "—", r.until or "—")
            for r in Residence.objects.filter(person_id=person_id).select_related(*related).order_by("pk")
        ],
        order=30,
    )
    return [record, owned, lived]


def access_rows(person_id: int) -> list[tuple[Any, ...]]:
    """Who saw the person's full ID number or phone: when, which office (role · unit), what and why."""
    return [
        (
            log.at,
            log.viewer or _("（未记录单位）"),
            _field_labels(log.fields),
            PURPOSES.get(log.purpose, log.purpose),
        )
        for log in access_log_of(person_id)
    ]


def _field_labels(fields: str) -> str:
    labels = {"id_number": _("身份证号"), "phone": _("手机号")}
    return "、".join(str(labels.get(f, f)) for f in fields.split(",") if f)


PURPOSES = {
    "home page": _l("房屋页面查看"),
    "api": _l("接口查询"),
    "homes ledger export": _l("房屋台账导出"),
    "party ledger export": _l("党员台账导出"),
}
