"""Owners' pages: staff link an owner's login from the home page, and the owner's own page (phone first)."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from gongzhi.accounts.access import authorize, get_or_404
from gongzhi.accounts.roles import Action
from gongzhi.affairs import owners, services
from gongzhi.people.models import Person
from gongzhi.places.models import Home


class LinkForm(django_forms.Form):
    person = django_forms.IntegerField(min_value=1, max_value=2**62)
    username = django_forms.CharField(
        label=gettext_lazy("已有账号的用户名（留空则新建居民账号）"), required=False, max_length=150
    )


@login_required
@require_http_methods(["GET", "POST"])
def home_owners(request: HttpRequest, pk: int) -> HttpResponse:
    """The home's owners on the register, a search for an owner, and the link of a login to one."""
    home = get_or_404(
        request.user, Home.objects.select_related("building", "compound"), Action.PERSON_EDIT, pk=pk
    )
    query = request.GET.get("q", "").replace("\x00", "").strip()[:50]
    created = None
    status = 200
    if request.method == "POST":
        form = LinkForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请选择要关联的业主。"))
            status = 400
        else:
            person = Person.objects.filter(pk=form.cleaned_data["person"]).first()
            try:
                if person is None:
                    raise ValidationError(_("找不到该业主。"))
                voter, password = services.owner_login_link(
                    actor=request.user, home=home, person=person, username=form.cleaned_data["username"]
                )
            except ValidationError as exc:
                for text in exc.messages:
                    messages.error(request, str(text))
                status = 400
            else:
                created = {"person": person, "username": voter.user.username, "password": password}
                messages.success(
                    request,
                    _("已关联：%(n)s 可以用账号 %(u)s 网上表决。")
                    % {"n": person.name, "u": voter.user.username},
                )
    context = {
        "home": home,
        "owners": owners.home_owners(home),
        "q": query,
        "found": owners.find_owners(request.user, query, compound_id=home.compound_id) if query else None,
        "created": created,
        "link_form": LinkForm(),
    }
    return render(request, "affairs/home_owners.html", context, status=status)


@login_required
def my_page(request: HttpRequest) -> HttpResponse:
    """The owner's own page: my homes, my open votes, my ballots and their history, my matters."""
    authorize(request.user, Action.GOVERNANCE_VIEW)
    status = owners.voting_status(request.user)
    ballots, changes = owners.ballots_of(status.person) if status.person else ([], [])
    mine = {b.vote_id: b for b in ballots}
    context = {
        "status": status,
        "open_votes": [(v, mine.get(v.pk)) for v in owners.open_votes_for(status)],
        "ballots": ballots,
        "changes": changes,
        "matters": owners.matters_raised_by(request.user),
    }
    return render(request, "affairs/my_page.html", context)
