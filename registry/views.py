"""Portal pages of the registry app."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The landing page; registry content is for signed-in staff only, like everything but /healthz."""
    return render(request, "home.html")


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """A login-free liveness answer for load balancers; it touches no database so it stays cheap."""
    return HttpResponse("ok", content_type="text/plain")
