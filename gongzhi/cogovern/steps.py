"""The committee's steps, entered by the staff who do them: the owners' application, an exemption, the
preparatory group, the first assembly's extension, the election, the filing, the term's extension by the
assembly and the handover of records. One page per compound shows what the compound is at and the forms
for the next steps; each form posts to its step, a service does the write, the page says what was done.
Bad input is refused with the form's or the service's Chinese message and nothing written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongzhi.accounts.access import can, get_or_404
from gongzhi.cogovern import rules, selectors, services
from gongzhi.cogovern.forms import (
    CANDIDATES,
    ApplyForm,
    ElectForm,
    ExemptForm,
    ExtendFirstForm,
    ExtendTermForm,
    FilingForm,
    HandoverForm,
    MeetingForm,
    PrepForm,
    TransitionForm,
    TransitionHandoverForm,
)
from gongzhi.cogovern.models import (
    EDIT,
    OWNERS,
    VIEW,
    AssemblyCase,
    CommitteeMeeting,
    CommitteeTerm,
    TransitionGroup,
)
from gongzhi.cogovern.settings_store import committee_rules
from gongzhi.core.pickers import picker_response
from gongzhi.organisations.kinds import role_label
from gongzhi.organisations.models import Seat
from gongzhi.people.selectors import person_picks, search_persons
from gongzhi.places.models import Compound
from gongzhi.places.selectors import breadcrumb


def _term(compound: Compound) -> CommitteeTerm | None:
    return (
        CommitteeTerm.objects.filter(compound=compound, committee__ended_on__isnull=True)
        .select_related("committee", "previous")
        .order_by("-term_start")
        .first()
    )


def _do_apply(request: HttpRequest, compound: Compound, form: Any) -> str:
    services.assembly_apply(
        actor=request.user,
        compound=compound,
        applied_on=form.cleaned_data["applied_on"],
        owners_applying=form.cleaned_data.get("owners_applying"),
        area_applying=form.cleaned_data.get("area_applying"),
    )
    return _("已记录业主申请，筹备组应在 30 日内成立")


def _do_exempt(request: HttpRequest, compound: Compound, form: Any) -> str:
    services.assembly_exempt(actor=request.user, compound=compound, reason=form.cleaned_data["reason"])
    return _("已记录：本小区无需成立业主大会")


def _do_prep(request: HttpRequest, compound: Compound, form: Any) -> str:
    services.prep_group_form(
        actor=request.user,
        compound=compound,
        formed_on=form.cleaned_data["formed_on"],
        seats=form.cleaned_data["seats"],
    )
    return _("已成立筹备组，首次业主大会应在 60 日内召开")


def _do_extend_first(request: HttpRequest, compound: Compound, form: Any) -> str:
    services.first_assembly_extend(actor=request.user, compound=compound)
    return _("首次业主大会期限已延长 30 日")


def _do_elect(request: HttpRequest, compound: Compound, form: Any) -> str:
    d = form.cleaned_data
    _committee, warnings = services.committee_elect(
        actor=request.user,
        compound=compound,
        elected_on=d["elected_on"],
        term_start=d["term_start"],
        term_end=d["term_end"],
        seats=d["seats"],
        vote=d["vote"],
    )
    for w in warnings:
        messages.warning(request, w)
    return _("已登记选举产生的业主委员会，应在 30 日内备案")


def _record(**fields: Any) -> Callable[[HttpRequest, Compound, Any], str]:
    def do(request: HttpRequest, compound: Compound, form: Any) -> str:
        term = _term(compound)
        if term is None:
            raise ValidationError(_("本小区还没有业主委员会"))
        services.committee_record(
            actor=request.user, term=term, **{k: form.cleaned_data.get(k, v) for k, v in fields.items()}
        )
        return _("已保存")

    return do


def _current_term(compound: Compound) -> CommitteeTerm:
    term = _term(compound)
    if term is None:
        raise ValidationError(_("本小区还没有业主委员会"))
    return term


def _do_meeting(request: HttpRequest, compound: Compound, form: Any) -> str:
    d = form.cleaned_data
    meeting = services.meeting_record(
        actor=request.user,
        term=_current_term(compound),
        held_on=d["held_on"],
        present=d["present"],
        decisions=d["decisions"],
    )
    passed = meeting.decisions.filter(passed=True).count()
    return _("已记录会议：出席 %(present)d / %(members)d 人，%(passed)d 项决定通过") % {
        "present": len(meeting.present),
        "members": meeting.members,
        "passed": passed,
    }


def _do_transition(request: HttpRequest, compound: Compound, form: Any) -> str:
    d = form.cleaned_data
    services.transition_group_form(
        actor=request.user, term=_current_term(compound), formed_on=d["formed_on"], seats=d["seats"]
    )
    return _("已成立换届小组，业主委员会应在 10 日内向换届小组移交资料")


def _do_transition_handover(request: HttpRequest, compound: Compound, form: Any) -> str:
    group = TransitionGroup.objects.filter(term=_current_term(compound)).first()
    if group is None:
        raise ValidationError(_("本届业主委员会没有换届小组"))
    services.transition_handover(actor=request.user, group=group, on=form.cleaned_data["handed_over_on"])
    return _("已记录资料移交换届小组")


STEPS: dict[str, tuple[type[forms.Form], Callable[[HttpRequest, Compound, Any], str], Any]] = {
    "apply": (ApplyForm, _do_apply, gettext_lazy("业主申请成立业主大会（第二十二条）")),
    "exempt": (ExemptForm, _do_exempt, gettext_lazy("无需成立业主大会（《物业管理条例》第十条）")),
    "prep": (PrepForm, _do_prep, gettext_lazy("成立筹备组（第二十三条）")),
    "extend_first": (ExtendFirstForm, _do_extend_first, gettext_lazy("首次业主大会延期（第二十四条）")),
    "elect": (ElectForm, _do_elect, gettext_lazy("选举业主委员会（换届选举同此）")),
    "filing": (FilingForm, _record(filed_on=None, filing_no=""), gettext_lazy("备案（第四十二条）")),
    "extend_term": (ExtendTermForm, _record(term_extended_to=None), gettext_lazy("业主大会决定延长任期")),
    "handover": (HandoverForm, _record(handed_over_on=None), gettext_lazy("上届资料移交（第四十三条）")),
    "meeting": (MeetingForm, _do_meeting, gettext_lazy("业委会会议（第三十八条）")),
    "transition": (TransitionForm, _do_transition, gettext_lazy("成立换届小组（第四十一条）")),
    "transition_handover": (
        TransitionHandoverForm,
        _do_transition_handover,
        gettext_lazy("资料移交换届小组（第四十三条）"),
    ),
}
SEATED = ("prep", "elect", "transition")


def _members(compound: Compound) -> list[tuple[int, str]]:
    term = _term(compound)
    if term is None:
        return []
    seats = Seat.objects.current().filter(organisation_id=term.committee_id).select_related("person")
    return [(s.person_id, f"{s.person.name}（{role_label(OWNERS, s.role)}）") for s in seats.order_by("pk")]


def _form(step: str, compound: Compound, data: Any = None) -> forms.Form:
    form_class = STEPS[step][0]
    if step == "meeting":
        return MeetingForm(data, members=_members(compound), prefix=step)
    if step in SEATED:
        return form_class(data, compound=compound, prefix=step)  # type: ignore[call-arg]
    return form_class(data, prefix=step)


def _open_steps(compound: Compound, term: CommitteeTerm | None) -> list[str]:
    """The steps that can be taken now, in order; the others are not shown."""
    case = AssemblyCase.objects.filter(compound=compound).first()
    if case and case.exempt_reason:
        return []
    if term is None:
        steps = []
        if not (case and case.applied_on) and not (case and case.prep_formed_on):
            steps += ["apply", "exempt"]
        if not (case and case.prep_formed_on):
            steps.append("prep")
        elif not case.first_assembly_extended:
            steps.append("extend_first")
        return [*steps, "elect"]
    steps = ["meeting"]
    if term.filed_on is None:
        steps.append("filing")
    if term.previous_id and term.handed_over_on is None:
        steps.append("handover")
    if term.term_extended_to is None:
        steps.append("extend_term")
    group = TransitionGroup.objects.filter(term=term).first()
    if group is None and not rules.transition_group_problems(
        term_end=term.term_end,
        term_extended_to=term.term_extended_to,
        reelection_held_on=term.reelection_held_on,
        formed_on=timezone.localdate(),
        rules=committee_rules(),
    ):
        steps.append("transition")
    if group is not None and group.handed_over_on is None:
        steps.append("transition_handover")
    return [*steps, "elect"]


def _page(
    request: HttpRequest, compound: Compound, bound: dict[str, forms.Form] | None = None
) -> HttpResponse:
    state = selectors.compound_states(compound.path)[0]
    term = _term(compound)
    open_steps = _open_steps(compound, term)
    bound = bound or {}
    forms_ = {s: bound.get(s) or _form(s, compound) for s in open_steps}
    meetings = CommitteeMeeting.objects.filter(term=term).prefetch_related("decisions")[:20] if term else []
    transition = TransitionGroup.objects.filter(term=term).select_related("group").first() if term else None
    transition_seats = (
        Seat.objects.current()
        .filter(organisation_id=transition.group_id)
        .select_related("person", "organisation")
        if transition
        else []
    )
    return render(
        request,
        "cogovern/steps.html",
        {
            "compound": compound,
            "crumbs": breadcrumb(compound.path, request.user),
            "state": state,
            "status_label": rules.Status(state.status).label,
            "late": [(rules.Step(step).label, due) for step, due in state.late],
            "term": term,
            "may_edit": can(request.user, EDIT, compound),
            "meetings": meetings,
            "transition": transition,
            "transition_seats": transition_seats,
            "transition_handover_due": transition
            and rules.transition_handover_due(transition.formed_on, committee_rules()),
            "steps": [
                {
                    "code": s,
                    "title": STEPS[s][2],
                    "form": forms_[s],
                    "fields": [
                        f
                        for f in forms_[s].visible_fields()
                        if f.name not in ("confirm", "present")
                        and not f.name.startswith(("person_", "role_", "subject_", "for_", "against_"))
                    ],
                    "seated": s in SEATED,
                    "meeting": s == "meeting",
                    "confirm": "confirm" in STEPS[s][0].base_fields,
                }
                for s in open_steps
            ],
        },
    )


@login_required
def steps(request: HttpRequest, code: str) -> HttpResponse:
    compound = get_or_404(request.user, Compound.objects.select_related("community"), VIEW, code=code)
    return _page(request, compound)


@login_required
@require_POST
def step(request: HttpRequest, code: str, step: str) -> HttpResponse:
    compound = get_or_404(request.user, Compound.objects.select_related("community"), EDIT, code=code)
    if step not in STEPS:
        raise Http404
    form = _form(step, compound, request.POST)
    if form.is_valid():
        try:
            done = STEPS[step][1](request, compound, form)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, done)
            return redirect("cogovern:steps", code=compound.code)
    messages.error(request, _("未保存：请按提示修改后重新提交"))
    return _page(request, compound, {step: form})


@login_required
def pick_person(request: HttpRequest, code: str, who: str) -> HttpResponse:
    """The seat pickers' search: owners of the compound, or people of its community (preparatory group)."""
    compound = get_or_404(request.user, Compound.objects.all(), EDIT, code=code)
    if who not in CANDIDATES:
        raise Http404
    candidates = CANDIDATES[who](compound)
    return picker_response(request, lambda text: person_picks(search_persons(candidates, text)))
