from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from setu.audit.selectors import audit_event_list_for


def event_list(request: HttpRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip()[:64] for key in ("action", "object_id", "actor")}
    events = audit_event_list_for(request.user, **filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/event_list.html", {"page": page, "filters": filters})
