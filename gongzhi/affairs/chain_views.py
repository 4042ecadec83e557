"""The vote page's check of its ballot chain (gongzhi.affairs.chain), loaded beside the page by htmx so the
vote page itself stays as fast as before."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongzhi.accounts.access import get_or_404
from gongzhi.accounts.roles import Action
from gongzhi.affairs.chain import verify
from gongzhi.affairs.models import Vote


@login_required
def vote_chain(request: HttpRequest, pk: int) -> HttpResponse:
    vote = get_or_404(request.user, Vote.objects.all(), Action.PLACE_VIEW, pk=pk)
    check = verify(vote)
    template = "affairs/_chain.html" if request.headers.get("HX-Request") else "affairs/vote_chain.html"
    return render(request, template, {"vote": vote, "check": check})
