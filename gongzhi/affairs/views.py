"""Pages of resident matters and owner votes: parse, check the right, call a service, render.

Out-of-scope objects are 404 and in-scope objects without the right 403 (gongzhi.accounts.access). A
refused write shows its reason and changes nothing (services raise before writing).
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.access import authorize, can, get_or_404, require, scoped
from gongzhi.accounts.roles import Action
from gongzhi.affairs import civil_code, forms, selectors, services, workflow
from gongzhi.affairs.models import (
    MATTER_TAKE,
    Attachment,
    Ballot,
    Matter,
    MatterCategory,
    Origin,
    Scope,
    Status,
    Vote,
    VoteStatus,
)
from gongzhi.people.masking import mask_name
from gongzhi.people.models import Person
from gongzhi.places.models import Building, Compound, Division, Home


def _messages_of(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _refuse(request: HttpRequest, exc: ValidationError) -> None:
    for text in _messages_of(exc):
        messages.error(request, text)


def _form_errors(form: Any) -> str:
    return "；".join(str(e) for errs in form.errors.values() for e in errs)


def _matter(request: HttpRequest, pk: int, action: str = Action.PLACE_VIEW) -> Matter:
    return get_or_404(
        request.user, Matter.objects.select_related("category", "compound", "building"), action, pk=pk
    )


def _vote(request: HttpRequest, pk: int, action: str = Action.PLACE_VIEW) -> Vote:
    return get_or_404(request.user, selectors.vote_with_related(), action, pk=pk)


# ---------------------------------------------------------------------------------------------------------
# Matters
# ---------------------------------------------------------------------------------------------------------


@login_required
def matter_list(request: HttpRequest) -> HttpResponse:
    authorize(request.user, Action.GOVERNANCE_VIEW)
    status = request.GET.get("status", "")
    category = request.GET.get("category", "")
    query = request.GET.get("q", "").strip()[:50]
    compound_code = request.GET.get("compound", "").strip()[:16]
    division_code = request.GET.get("place", "").strip()[:12]
    place_path = ""
    if compound_code:  # e.g. a link from a compound's page; the scope filter still applies
        place_path = Compound.objects.filter(code=compound_code).values_list("path", flat=True).first() or "-"
    elif division_code:  # a drill-down from a division's start page
        place_path = Division.objects.filter(code=division_code).values_list("path", flat=True).first() or "-"
    qs = selectors.matter_list(
        request.user, status=status, category=category, query=query, place_path=place_path
    )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "matters": list(page.object_list),
        "status": status,
        "category": category,
        "q": query,
        "compound": compound_code,
        "place": division_code,
        "statuses": Status.choices,
        "categories": list(MatterCategory.objects.filter(active=True)),
        "can_raise": can(request.user, Action.MATTER_RAISE),
    }
    return render(request, "affairs/matter_list.html", context)


def _building_by_number(compound: Compound, text: str) -> Building | None:
    key = services._building_key(text or "")
    if not key:
        return None
    for building in Building.objects.filter(compound=compound):
        if services._building_key(building.number) == key:
            return building
    return None


@login_required
def matter_new(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.MATTER_RAISE):
        raise PermissionDenied  # a page naming no object, an action held nowhere: 403 (architecture.md)
    compounds = scoped(request.user, Compound.objects.order_by("code"), Action.MATTER_RAISE)
    # Buildings are typed as their number (e.g. "3号楼"), resolved within the chosen compound.
    form = forms.MatterForm(request.POST or None, compounds=compounds, buildings=Building.objects.none())
    building_text = request.POST.get("building_number", "") if request.method == "POST" else ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        compound = data["compound"]
        building = None
        if data["scope"] != Scope.COMPOUND:
            building = _building_by_number(compound, building_text)
            if building is None:
                form.add_error(None, _("在该小区找不到楼栋「%(b)s」") % {"b": building_text or "—"})
        if not form.errors:
            try:
                matter = services.matter_raise(
                    actor=request.user,
                    compound=compound,
                    title=data["title"],
                    category=data["category"],
                    description=data["description"],
                    item=data["item"],
                    scope=data["scope"],
                    building=building,
                    unit_no=data["unit_no"] if data["scope"] == Scope.UNIT else None,
                    responsible=data["responsible"],
                )
            except ValidationError as exc:
                for text in _messages_of(exc):
                    form.add_error(None, text)
            else:
                messages.success(request, _("事务已提出。"))
                return redirect("affairs:matter", pk=matter.pk)
    status = 400 if request.method == "POST" else 200
    categories = list(
        MatterCategory.objects.filter(active=True).values("pk", "default_item", "default_scope")
    )
    return render(
        request,
        "affairs/matter_form.html",
        {"form": form, "building_number": building_text, "categories": categories},
        status=status,
    )


@login_required
def matter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _matter(request, pk)
    page = selectors.matter_page(matter)
    state = selectors.matter_state(matter, page.votes)
    may_manage = can(request.user, Action.MATTER_MANAGE, matter)
    may_vote = can(request.user, Action.VOTE_MANAGE, matter)
    may_take = can(request.user, MATTER_TAKE, matter)
    notice = selectors.notice_of(matter)
    context = {
        "matter": matter,
        "page": page,
        "timeline": page.events,
        "moves": [(m, workflow.label(m)) for m in workflow.allowed_moves(state)] if may_manage else [],
        "vote_refusal": workflow.may_open_vote(state),
        "emergency_form": forms.EmergencyForm()
        if may_vote and workflow.emergency_refusal(state, matter.item, "-") is None
        else None,
        "may_manage": may_manage,
        "may_vote": may_vote,
        "take_form": forms.TakeForm()
        if may_take and workflow.take_refusal(state, matter.taken_at is not None) is None
        else None,
        "stages": [(s, workflow.label(s)) for s in workflow.ORDER if s != Status.VOTING or matter.needs_vote],
        "meeting_form": forms.MeetingForm(prefix="m"),
        "note_form": forms.NoteForm(),
        "attachment_form": forms.AttachmentForm(),
        "vote_form": forms.VoteOpenForm(initial={"question": matter.title}, notice=notice),
        "notice": notice,
        "notice_form": forms.NoticeForm(prefix="n")
        if may_vote and (notice is None or all(getattr(i, "votes_count", 0) for i in notice.items.all()))
        else None,
        "objection_form": forms.ObjectionForm(prefix="o"),
    }
    return render(request, "affairs/matter_detail.html", context)


@login_required
@require_POST
def matter_advance(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _matter(request, pk, Action.MATTER_MANAGE)
    form = forms.AdvanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("推进办理的信息有误：%(e)s") % {"e": _form_errors(form)})
    else:
        try:
            services.matter_advance(
                matter=matter, actor=request.user, to=form.cleaned_data["to"], note=form.cleaned_data["note"]
            )
            messages.success(request, _("已进入「%(s)s」阶段。") % {"s": workflow.label(matter.status)})
        except ValidationError as exc:
            _refuse(request, exc)
    return redirect("affairs:matter", pk=pk)


@login_required
@require_POST
def matter_note(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _matter(request, pk, Action.MATTER_MANAGE)
    form = forms.NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写记录内容。"))
    else:
        try:
            services.matter_note(matter=matter, actor=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            _refuse(request, exc)
        else:
            messages.success(request, _("记录已添加。"))
    return redirect("affairs:matter", pk=pk)


@login_required
@require_POST
def matter_take(request: HttpRequest, pk: int) -> HttpResponse:
    """The property company takes the matter on (its step on the timeline)."""
    matter = _matter(request, pk, MATTER_TAKE)
    form = forms.TakeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("承接说明有误：%(e)s") % {"e": _form_errors(form)})
    else:
        try:
            services.matter_take(matter=matter, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            _refuse(request, exc)
        else:
            messages.success(request, _("已承接本事项，已记入办理进程。"))
    return redirect("affairs:matter", pk=pk)


@login_required
@require_POST
def matter_emergency(request: HttpRequest, pk: int) -> HttpResponse:
    """Use the maintenance fund in an emergency without a vote, the emergency on record (art. 281)."""
    matter = _matter(request, pk, Action.VOTE_MANAGE)
    form = forms.EmergencyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请写明紧急情况及维修内容。"))
    else:
        try:
            services.matter_fund_emergency(
                matter=matter, actor=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("已记录紧急使用维修资金，事项进入实施阶段。"))
        except ValidationError as exc:
            _refuse(request, exc)
    return redirect("affairs:matter", pk=pk)


@login_required
@require_POST
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _matter(request, pk, Action.MATTER_MANAGE)
    form = forms.MeetingForm(request.POST, prefix="m")
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            text = "；".join(str(e) for e in errors)
            messages.error(request, f"{label}：{text}" if label else text)
        return redirect("affairs:matter", pk=pk)
    try:
        services.meeting_record(matter=matter, actor=request.user, **form.cleaned_data)
        messages.success(request, _("会议已登记。"))
    except ValidationError as exc:
        _refuse(request, exc)
    return redirect("affairs:matter", pk=pk)


@login_required
@require_POST
def attachment_new(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _matter(request, pk, Action.MATTER_MANAGE)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件。"))
        return redirect("affairs:matter", pk=pk)
    try:
        services.attachment_add(matter=matter, actor=request.user, upload=form.cleaned_data["file"])
        messages.success(request, _("附件已上传。"))
    except ValidationError as exc:
        _refuse(request, exc)
    return redirect("affairs:matter", pk=pk)


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_or_404(request.user, Attachment.objects.all(), Action.PLACE_VIEW, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )


@login_required
def mandate_download(request: HttpRequest, pk: int) -> FileResponse:
    """A proxy ballot's signed mandate: for those who manage the vote."""
    ballot = get_or_404(request.user, Ballot.objects.select_related("vote"), Action.VOTE_MANAGE, pk=pk)
    if not ballot.mandate_file:
        raise Http404
    try:
        handle = ballot.mandate_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=os.path.basename(ballot.mandate_file.name))


@login_required
@require_POST
def vote_new(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _matter(request, pk, Action.VOTE_MANAGE)
    form = forms.VoteOpenForm(request.POST, notice=selectors.notice_of(matter))
    if not form.is_valid():
        messages.error(request, _("表决信息有误。"))
        return redirect("affairs:matter", pk=pk)
    try:
        vote = services.vote_open(matter=matter, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _refuse(request, exc)
        return redirect("affairs:matter", pk=pk)
    messages.success(request, _("表决已开始。"))
    return redirect("affairs:vote", pk=vote.pk)


# ---------------------------------------------------------------------------------------------------------
# Votes
# ---------------------------------------------------------------------------------------------------------


def _vote_context(request: HttpRequest, vote: Vote, **extra: Any) -> dict[str, Any]:
    page_no = (
        max(1, int(request.GET.get("page", "1") or 1)) if str(request.GET.get("page", "1")).isdigit() else 1
    )
    data = selectors.vote_page(vote, limit=200, offset=(page_no - 1) * 200)
    may_manage = can(request.user, Action.VOTE_MANAGE, vote)
    show_names = can(request.user, Action.PERSON_VIEW, vote)
    voter = selectors.voter_of(request.user)
    own_ballot = None
    may_cast = False
    cast_refusal = "" if voter is not None else _("您的账号尚未与业主身份关联：请到社区核验身份后网上表决。")
    if voter is not None and vote.is_open:
        owner_id = selectors.ballot_owner_for(vote, voter.person_id)
        may_cast = owner_id is not None
        if owner_id is None:
            today = timezone.localdate()
            cast_refusal = (
                _("您购买的房屋尚未交付：按司法解释第九条计入建设单位，交付后才能表决。")
                if selectors.owns_undelivered_in_scope(vote, voter.person_id, today)
                else _("业主名册上您没有本次表决范围内的房屋。")
            )
        elif vote.closes_on and timezone.localdate() > vote.closes_on:
            may_cast, cast_refusal = False, _("网上表决已截止。")
        if owner_id is not None:  # a co-owner sees their own ballot, not the representative's
            caster_id = None if owner_id == voter.person_id else voter.person_id
            own_ballot = next(
                (b for b in data.ballots if b.owner_id == owner_id and b.caster_id == caster_id), None
            )
            if own_ballot is None:
                own_ballot = vote.ballots.filter(owner_id=owner_id, caster_id=caster_id).first()
    buildings = (
        Building.objects.filter(pk=vote.building_id)
        if vote.building_id
        else Building.objects.filter(compound_id=vote.compound_id)
    )
    # Organisers see where the count stands before closing (the same count, nothing stored).
    provisional = (
        services.vote_count(vote, on=timezone.localdate()).tally if vote.is_open and may_manage else None
    )
    context = {
        "vote": vote,
        "matter": vote.matter,
        "data": data,
        "provisional": provisional,
        "page_no": page_no,
        "has_next": data.ballots_total > page_no * 200,
        "may_manage": may_manage,
        "show_names": show_names,
        "voter": voter,
        "may_cast": may_cast,
        "cast_refusal": cast_refusal,
        "own_ballot": own_ballot,
        "own_form": forms.OwnBallotForm(initial={"opinion": own_ballot.opinion if own_ballot else None}),
        "record_form": forms.RecordBallotForm(prefix="r", buildings=buildings) if may_manage else None,
        "sheet_form": forms.SheetForm() if may_manage else None,
        "close_form": forms.CloseForm(early=workflow.closes_early(vote.closes_on, timezone.localdate()))
        if may_manage
        else None,
        "publish_form": forms.PublishForm() if may_manage else None,
        "publication_deadline": civil_code.publication_deadline(timezone.localdate(vote.closed_at))
        if vote.closed_at
        else None,
        "public": False,
    }
    context.update(extra)
    return context


@login_required
def vote_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vote = _vote(request, pk)
    return render(request, "affairs/vote_detail.html", _vote_context(request, vote))


@login_required
@require_POST
def vote_cast(request: HttpRequest, pk: int) -> HttpResponse:
    """An owner casts or changes their own ballot online. The vote is read bare: a cast reads its scope
    and rule set only, with the login's grants and voter link, and every cast of a crowded vote comes
    through here (bench/bench_cast_cost.py). The answer is a redirect."""
    vote = selectors.vote_for_cast(request.user, pk)
    if vote is None:
        raise Http404
    require(request.user, Action.PLACE_VIEW, vote)
    voter = selectors.voter_of(request.user)
    if voter is None:
        messages.error(request, _("您的账号尚未与业主身份关联，不能网上表决；请联系社区核验身份。"))
        return redirect("affairs:vote", pk=pk)
    form = forms.OwnBallotForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择同意、反对或弃权。"))
        return redirect("affairs:vote", pk=pk)
    try:
        services.ballot_cast(
            vote=vote,
            person=voter.person,
            opinion=form.cleaned_data["opinion"],
            origin=Origin.ONLINE,
            actor=request.user,
        )
        messages.success(request, _("您的表决意见已记录，表决结束前可以修改。"))
    except ValidationError as exc:
        _refuse(request, exc)
    return redirect("affairs:vote", pk=pk)


@login_required
@require_POST
def vote_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff enter one paper or proxy ballot, naming the owner by the home."""
    vote = _vote(request, pk, Action.VOTE_MANAGE)
    buildings = Building.objects.filter(compound_id=vote.compound_id)
    form = forms.RecordBallotForm(request.POST, request.FILES, prefix="r", buildings=buildings)
    if not form.is_valid():
        messages.error(request, _("请填写楼栋、单元、房号和意见。"))
        return redirect("affairs:vote", pk=pk)
    data = form.cleaned_data
    home = Home.objects.filter(
        building=data["building"], unit_no=data["unit_no"], room=data["room"].strip()
    ).first()
    owner_id = None
    if home is not None:
        in_scope = {h.home_id: h.owner_id for h in selectors.vote_homes(vote)}
        if home.pk in in_scope:
            owner_id = in_scope[home.pk]
        else:
            home = None
    if home is None:
        messages.error(request, _("该房屋不在本次表决范围内。"))
        return redirect("affairs:vote", pk=pk)
    if owner_id is None:
        messages.error(request, _("该房屋没有登记业主，无法录入表决票。"))
        return redirect("affairs:vote", pk=pk)
    try:
        services.ballot_cast(
            vote=vote,
            person=Person.objects.get(pk=owner_id),
            opinion=data["opinion"],
            origin=data["origin"],
            actor=request.user,
            proxy_name=data["proxy_name"],
            mandate=data["mandate"],
            mandate_file=data["mandate_file"],
        )
        messages.success(request, _("表决票已录入。"))
    except ValidationError as exc:
        _refuse(request, exc)
    return redirect("affairs:vote", pk=pk)


@login_required
@require_POST
def vote_close(request: HttpRequest, pk: int) -> HttpResponse:
    vote = _vote(request, pk, Action.VOTE_MANAGE)
    form = forms.CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("结束表决的信息有误：%(e)s") % {"e": _form_errors(form)})
        return redirect("affairs:vote", pk=pk)
    data = {k: v for k, v in form.cleaned_data.items() if k != "confirm"}
    try:
        services.vote_close(vote=vote, actor=request.user, **data)
        messages.success(request, _("表决已结束，结果已计算。"))
    except ValidationError as exc:
        _refuse(request, exc)
    return redirect("affairs:vote", pk=pk)


@login_required
@require_POST
def vote_publish(request: HttpRequest, pk: int) -> HttpResponse:
    vote = _vote(request, pk, Action.VOTE_MANAGE)
    form = forms.PublishForm(request.POST)
    if not form.is_valid():  # only a NUL byte gets here (Django's own check); the service checks the rest
        messages.error(request, _("公示的信息有误：%(e)s") % {"e": _form_errors(form)})
        return redirect("affairs:vote", pk=pk)
    try:
        services.vote_publish(vote=vote, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("结果已公示。"))
    except ValidationError as exc:
        _refuse(request, exc)
    return redirect("affairs:vote", pk=pk)


def vote_public(request: HttpRequest, public_id: str) -> HttpResponse:
    """The published result for everyone: every figure and the rule, owners' names masked."""
    vote = get_object_or_404(
        selectors.vote_with_related().filter(status=VoteStatus.CLOSED, published_at__isnull=False),
        public_id=public_id,
    )
    data = selectors.vote_page(vote, limit=5000)
    for ballot in data.ballots:
        masked = mask_name(ballot.owner.name)
        if ballot.caster is not None:  # a co-owner's own ballot, kept beside the representative's
            masked += f"（共有人 {mask_name(ballot.caster.name)}）"
        ballot.masked_name = masked  # type: ignore[attr-defined]
    assert vote.published_at is not None
    published_on = timezone.localdate(vote.published_at)
    url = request.build_absolute_uri(reverse("affairs:vote_public", args=[vote.public_id]))
    context = {
        "vote": vote,
        "matter": vote.matter,
        "data": data,
        "public": True,
        "show_names": False,
        "public_url": url,
        # segno draws the code as inline SVG: no script, no network, allowed by the CSP.
        "qr_svg": mark_safe(segno.make(url, error="m").svg_inline(scale=4, title=_("本页二维码"))),
        "annulment_from": published_on + timedelta(days=1),
        "annulment_until": civil_code.annulment_last_day(published_on),
    }
    return render(request, "affairs/vote_public.html", context)
