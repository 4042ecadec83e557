"""Pages of the rural property-rights exchange: listings, a listing's auction, a bidder's own bids, the report."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.access import can, get_or_404, scoped
from gongzhi.collectives.models import Asset, Decision, Resource
from gongzhi.core.pdf import pdf_response, render_pdf
from gongzhi.people.masking import mask_id_number
from gongzhi.places.models import Division, Level
from gongzhi.trading import rules, selectors, services
from gongzhi.trading.forms import ContractForm, ListingForm, whole_yuan
from gongzhi.trading.models import (
    BID,
    MANAGE,
    VIEW,
    Bid,
    Bidder,
    BidderStatus,
    Deposit,
    Instalment,
    Listing,
    Reminder,
    Status,
)
from gongzhi.trading.selectors import seller_name

PAGE = 100


def _listing(request: HttpRequest, pk: int, action: str = VIEW) -> Listing:
    qs = Listing.objects.select_related(
        "village__parent", "tenant", "leader", "winner", "decision_record", "contract"
    )
    return get_or_404(request.user, qs, action, pk=pk)


def _own_bidder(request: HttpRequest) -> Bidder | None:
    """The bidder record of the signed-in user (the views are for signed-in users only)."""
    user_id = request.user.pk
    return Bidder.objects.filter(user_id=int(user_id)).first() if user_id is not None else None


def _district(path: str) -> str:
    return "/".join(path.split("/")[:3]) + "/"


def _errors(request: HttpRequest, exc: ValidationError | ValueError) -> None:
    text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    messages.error(request, text)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    if not can(request.user, VIEW):
        raise PermissionDenied
    qs = scoped(request.user, Listing.objects.all(), VIEW)
    status = request.GET.get("status", "")
    shown = qs.filter(status=status) if status in Status.values else qs
    counts = selectors.status_counts(qs)
    may_manage = can(request.user, MANAGE)
    today = timezone.localdate()
    overdue = (
        selectors.overdue(scoped(request.user, Instalment.objects.all(), MANAGE), today)[:PAGE]
        if may_manage
        else []
    )
    # The daily job's reminders (reminders.overdue_remind) of instalments still unpaid, for the staff who
    # manage trading where the listing lies: the town's station and the county bureau.
    reminders = (
        selectors.reminded(scoped(request.user, Reminder.objects.all(), MANAGE)) if may_manage else None
    )
    return render(
        request,
        "trading/index.html",
        {
            "rows": shown.select_related("village__parent")[:PAGE],
            "status": status,
            "statuses": [(v, label, counts.get(v, 0)) for v, label in Status.choices],
            "totals": selectors.totals(qs),
            "may_manage": may_manage,
            "overdue": overdue,
            "reminders_count": reminders.count() if reminders is not None else 0,
            "reminders": [(r, (today - r.due_on).days) for r in reminders[:PAGE]]
            if reminders is not None
            else [],
            "is_bidder": can(request.user, BID),
        },
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _listing(request, pk)
    bidder = _own_bidder(request)
    may_manage = can(request.user, MANAGE, listing)
    deposits = listing.deposits.select_related("bidder").order_by("paid_on", "id") if may_manage else None
    mine = listing.deposits.filter(bidder=bidder).first() if bidder else None
    today = timezone.localdate()
    bidding = listing.status == Status.PUBLISHED and today > listing.publish_until
    return render(
        request,
        "trading/detail.html",
        {
            "l": listing,
            "seller": seller_name(listing.village.name),
            "bids": listing.bids.select_related("bidder").order_by("-seq")[:50],
            "instalments": _schedule(listing, today, may_manage),
            "contract_form": _contract_form(listing) if may_manage and _signable(listing) else None,
            "may_see_decision": listing.decision_record_id is not None
            and can(request.user, "collectives.view", listing),
            "deposits": deposits,
            "bidders": Bidder.objects.filter(
                path__under=_district(listing.path), status=BidderStatus.APPROVED
            ).order_by("name")[:200]
            if may_manage
            else [],
            "may_manage": may_manage,
            "may_bid": bidder is not None
            and mine is not None
            and bidding
            and can(request.user, BID, listing),
            "bidder": bidder,
            "mine": mine,
            "bidding": bidding,
            "next_min": listing.price_yuan + listing.step_yuan
            if listing.bids_count
            else listing.reserve_yuan,
            "income": rules.collective_income(
                price=listing.price_yuan,
                reserve=listing.reserve_yuan,
                previous_income=listing.previous_income_yuan,
            ),
        },
    )


@login_required
def new(request: HttpRequest) -> HttpResponse:
    if not can(request.user, MANAGE):
        raise PermissionDenied
    form = ListingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        village = Division.objects.filter(code=d["village"]).first()
        decision = Decision.objects.select_related("collective").filter(pk=d["decision"]).first()
        if village is None or not can(request.user, MANAGE, village):
            form.add_error("village", _("在您的管辖范围内找不到该村"))
        elif decision is None:
            form.add_error("decision", _("找不到该决策"))
        else:
            fields = {k: v for k, v in d.items() if k not in ("village", "decision")}
            try:
                listing = services.listing_create(
                    actor=request.user, village=village, decision_record=decision, **fields
                )
            except ValidationError as exc:
                for m in exc.messages:
                    form.add_error(None, m)
            else:
                messages.success(request, _("已挂牌：%(c)s") % {"c": listing.code})
                return redirect("trading:detail", pk=listing.pk)
    return render(request, "trading/new.html", {"form": form})


def _post(request: HttpRequest, pk: int, action: str, run: Any, done: str) -> HttpResponse:
    listing = _listing(request, pk, action)
    try:
        run(listing)
    except (ValidationError, ValueError) as exc:
        _errors(request, exc)
    else:
        messages.success(request, done)
    return redirect("trading:detail", pk=listing.pk)


@login_required
@require_POST
def deposit(request: HttpRequest, pk: int) -> HttpResponse:
    def run(listing: Listing) -> None:
        raw = request.POST.get("bidder", "")
        bidder = Bidder.objects.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 12 else None
        if bidder is None:
            raise ValueError(_("请选择竞买人"))
        amount = whole_yuan(request.POST.get("amount"), _("保证金"))
        services.deposit_record(actor=request.user, listing=listing, bidder=bidder, amount_yuan=amount)

    return _post(request, pk, MANAGE, run, _("已登记保证金，该竞买人可以出价"))


@login_required
@require_POST
def bid(request: HttpRequest, pk: int) -> HttpResponse:
    def run(listing: Listing) -> None:
        bidder = _own_bidder(request)
        if bidder is None:
            raise ValueError(_("您尚未登记为竞买人"))
        amount = whole_yuan(request.POST.get("amount"), _("出价"))
        services.bid_place(actor=request.user, listing_id=listing.pk, bidder=bidder, amount_yuan=amount)

    return _post(request, pk, BID, run, _("出价成功"))


def _schedule(listing: Listing, today: Any, may_manage: bool) -> list[tuple[Instalment, bool, bool]]:
    """The payment schedule: each instalment, whether it is overdue, and whether the staff may record it
    here (the first unpaid one of a settled deal: instalments are paid in order, the first at settlement)."""
    if not listing.contract_id:
        return []
    rows = list(listing.instalments.order_by("seq"))
    unpaid = [i for i in rows if i.paid_on is None]
    payable = unpaid[0].seq if unpaid and may_manage and listing.status == Status.SETTLED else None
    return [
        (i, rules.is_overdue(due_on=i.due_on, paid_on=i.paid_on, today=today), i.seq == payable) for i in rows
    ]


def _day(raw: str | None) -> Any:
    """A yyyy-mm-dd date from a form, or ValueError with a Chinese message."""
    text = (raw or "").strip()[:10]
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(_("实付日期格式应为年-月-日，例如 2026-03-01")) from None


@login_required
@require_POST
def instalment(request: HttpRequest, pk: int, seq: int) -> HttpResponse:
    """登记后续各期价款 (services.instalment_pay). A schedule has at most 30 instalments (the term's years)."""
    if not 1 <= seq <= 100:
        raise Http404

    def run(listing: Listing) -> None:
        amount = whole_yuan(request.POST.get("amount"), _("实付金额"))
        paid_on = _day(request.POST.get("paid_on"))
        services.instalment_pay(
            actor=request.user, listing=listing, seq=seq, amount_yuan=amount, paid_on=paid_on
        )

    return _post(request, pk, MANAGE, run, _("已登记第%(n)s期价款") % {"n": seq})


def _signable(listing: Listing) -> bool:
    return listing.status == Status.AWARDED and listing.contract_id is None


def _subjects(listing: Listing) -> list[tuple[str, str]]:
    """The village collective's assets or resources of the listing's kind, as the contract form offers them."""
    wanted = services.RESOURCE_OF.get(listing.kind)  # type: ignore[call-overload]
    if wanted is None:
        return [(f"a{a.pk}", a.name) for a in Asset.objects.filter(path=listing.path).order_by("name")[:200]]
    resources = Resource.objects.filter(path=listing.path, kind=wanted).order_by("name")[:200]
    return [(f"r{x.pk}", f"{x.name}（{x.area_mu}亩）") for x in resources]


def _contract_form(listing: Listing, data: Any = None) -> ContractForm:
    today = timezone.localdate()
    return ContractForm(
        data,
        subjects=_subjects(listing),
        initial={"signed_on": today, "starts_on": today, "code": f"HT-{listing.code}"[:40], "yearly": "0"},
    )


@login_required
@require_POST
def contract(request: HttpRequest, pk: int) -> HttpResponse:
    """签订流转合同 from the award (services.contract_sign): the collectives' contract record and its schedule."""
    listing = _listing(request, pk, MANAGE)
    form = _contract_form(listing, request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(m) for errs in form.errors.values() for m in errs))
        return redirect("trading:detail", pk=listing.pk)
    d = form.cleaned_data
    key = d["subject"]
    model: Any = Resource if key.startswith("r") else Asset
    subject = model.objects.select_related("collective").get(pk=int(key[1:]))
    try:
        services.contract_sign(
            actor=request.user,
            listing=listing,
            subject=subject,
            code=d["code"],
            starts_on=d["starts_on"],
            signed_on=d["signed_on"],
            yearly=d["yearly"],
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已签订流转合同，已记入村集体三资合同"))
    return redirect("trading:detail", pk=listing.pk)


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        MANAGE,
        lambda listing: services.listing_close(actor=request.user, listing=listing),
        _("竞价已结束"),
    )


@login_required
@require_POST
def tenant(request: HttpRequest, pk: int) -> HttpResponse:
    match = request.POST.get("match") == "1"
    return _post(
        request,
        pk,
        MANAGE,
        lambda listing: services.tenant_decide(actor=request.user, listing=listing, match=match),
        _("已记录原承租方的决定"),
    )


@login_required
@require_POST
def settle(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        MANAGE,
        lambda listing: services.listing_settle(
            actor=request.user, listing=listing, contract_no=request.POST.get("contract_no", "")
        ),
        _("已结算，价款归集体，未成交竞买人的保证金已退还"),
    )


@login_required
@require_POST
def relist(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _listing(request, pk, MANAGE)
    today = timezone.localdate()
    try:
        reserve = whole_yuan(request.POST.get("reserve"), _("新底价"))
        new_listing = services.listing_relist(
            actor=request.user,
            listing=listing,
            code=f"{listing.code}-R"[:32],
            reserve_yuan=reserve,
            publish_from=today,
            publish_until=today + timedelta(days=services.publicity_days() - 1),
        )
    except (ValidationError, ValueError) as exc:
        _errors(request, exc)
        return redirect("trading:detail", pk=listing.pk)
    messages.success(request, _("已重新挂牌：%(c)s") % {"c": new_listing.code})
    return redirect("trading:detail", pk=new_listing.pk)


@login_required
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _listing(request, pk)
    if listing.status not in (Status.AWARDED, Status.SETTLED):
        raise Http404
    pdf = render_pdf(
        "trading/print/certificate.html",
        {
            "l": listing,
            "today": timezone.localdate(),
            "kind": listing.get_kind_display(),
            "seller": seller_name(listing.village.name),
            "instalments": list(listing.instalments.order_by("seq")) if listing.contract_id else [],
        },
    )
    return pdf_response(pdf, f"交易鉴证书{listing.code}.pdf", inline=True)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    if not can(request.user, BID):
        raise PermissionDenied
    bidder = _own_bidder(request)
    deposits = (
        Deposit.objects.filter(bidder=bidder).select_related("listing").order_by("-paid_on") if bidder else []
    )
    bids = Bid.objects.filter(bidder=bidder).select_related("listing").order_by("-at")[:200] if bidder else []
    return render(request, "trading/mine.html", {"bidder": bidder, "deposits": deposits, "bids": bids})


@login_required
def report(request: HttpRequest) -> HttpResponse:
    if not can(request.user, VIEW):
        raise PermissionDenied
    rows = selectors.by_town_and_year(scoped(request.user, Listing.objects.all(), VIEW))
    return render(request, "trading/report.html", {"rows": rows})


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """竞买人登记: a signed-in person or organisation asks to bid; the exchange's staff review it."""
    own = Bidder.objects.filter(user_id=int(request.user.pk or 0)).select_related("person").first()
    places = (
        Division.objects.filter(level__in=(Level.DISTRICT, Level.SUBDISTRICT), code__startswith="3702")
        .select_related("parent")
        .order_by("code")
    )
    data = request.POST if request.method == "POST" else None
    if data is not None and own is None:
        place = places.filter(code=data.get("place", "")[:12]).first()
        try:
            if place is None:
                raise ValidationError(_("请选择受理登记的交易中心或镇街交易服务站"))
            own = services.bidder_self_register(
                actor=request.user,
                kind=data.get("kind", ""),
                name=data.get("name", ""),
                document=data.get("document", "")[:40],
                place=place,
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("登记已提交，交易中心审核通过后即可报名竞价"))
            return redirect("trading:register")
    return render(
        request,
        "trading/register.html",
        {
            "own": own,
            "document": _document(own) if own else "",
            "places": [(p.code, _exchange_name(p)) for p in places],
            "data": data or {},
        },
    )


def _exchange_name(place: Division) -> str:
    """Where a registration is filed: the county's trading centre or a town's trading station."""
    if place.level == Level.DISTRICT:
        return _("%(d)s农村产权交易中心") % {"d": place.name}
    return _("%(d)s%(t)s农村产权交易服务站") % {
        "d": place.parent.name if place.parent else "",
        "t": place.name,
    }


def _document(bidder: Bidder) -> str:
    """The registration's ID number or credit code, masked (the bidder and the staff see the same)."""
    person = bidder.person
    if person is None:
        return ""
    return mask_id_number(person.id_number or person.credit_code or "")


@login_required
def bidders(request: HttpRequest) -> HttpResponse:
    """The registrations waiting for the exchange's review, in the staff's places."""
    if not can(request.user, MANAGE):
        raise PermissionDenied
    qs = scoped(request.user, Bidder.objects.all(), MANAGE).select_related("person")
    pending = list(qs.filter(status=BidderStatus.PENDING).order_by("registered_on", "pk")[:PAGE])
    recent = list(qs.exclude(status=BidderStatus.PENDING).order_by("-reviewed_on", "-pk")[:20])
    filed = {
        d.path: _exchange_name(d)
        for d in Division.objects.filter(path__in={b.path for b in pending}).select_related("parent")
    }
    return render(
        request,
        "trading/bidders.html",
        {
            "pending": [(b, _document(b), filed.get(b.path, "")) for b in pending],
            "recent": recent,
        },
    )


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    bidder = get_or_404(request.user, Bidder.objects.all(), MANAGE, pk=pk)
    approve = request.POST.get("approve") == "1"
    try:
        services.bidder_review(
            actor=request.user, bidder=bidder, approve=approve, note=request.POST.get("note", "")[:200]
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已审核通过") if approve else _("已退回"))
    return redirect("trading:bidders")
