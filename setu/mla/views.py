"""Pages for MLA requests: the dashboard, the list, a request with its history, deadlines and documents, the
draft form, sending, recording a move, adding and reading documents. Views only translate HTTP: parse, call
one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from setu.accounts import policy
from setu.accounts.models import Organisation
from setu.accounts.roles import Permission
from setu.core.http import AuthedRequest, protected_file
from setu.mla import selectors, services, workflow
from setu.mla.authorities import register
from setu.mla.deadlines_rules import rule_book
from setu.mla.forms import DocumentForm, DraftForm, FilterForm, MoveForm
from setu.mla.models import MlaRequest

PAGE_SIZE = 25


def _query_string(request: AuthedRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
def dashboard(request: AuthedRequest) -> HttpResponse:
    policy.require(request.user, Permission.MLA_VIEW, object_type=services.REQUEST_OBJECT)
    board = selectors.dashboard_for(request.user)
    bars = [(value, label, count, round(100 * count / board.widest)) for value, label, count in board.by_status]
    context = {"board": board, "bars": bars, "svg_height": 16 * len(bars), "today": timezone.localdate(),
               "can_draft": policy.has_permission(request.user, Permission.MLA_MANAGE)}  # fmt: skip
    return render(request, "mla/dashboard.html", context)


@require_POST
def notices_read(request: AuthedRequest) -> HttpResponse:
    services.notices_mark_read(actor=request.user)
    return redirect("mla:dashboard")


@require_GET
def request_list(request: AuthedRequest) -> HttpResponse:
    policy.require(request.user, Permission.MLA_VIEW, object_type=services.REQUEST_OBJECT)
    form = FilterForm(request.GET)
    rows = selectors.request_list_for(request.user, **form.filters())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query_string": _query_string(request),
               "can_draft": policy.has_permission(request.user, Permission.MLA_MANAGE)}  # fmt: skip
    return render(request, "mla/request_list.html", context)


def _detail_context(request: AuthedRequest, mla: MlaRequest, **extra) -> dict:
    language = (request.LANGUAGE_CODE or "en")[:2]
    may_manage = services.may_manage(request.user, mla)
    statuses = workflow.next_statuses(mla.direction, mla.status)
    book = rule_book()
    deadlines = [(d, book.get(d.rule)) for d in mla.deadlines.all()]
    return {
        "mla": mla,
        "requesting": register().get(mla.requesting_authority),
        "requested": register().get(mla.requested_authority),
        "language": language,
        "history": mla.history.select_related("by"),
        "deadlines": deadlines,
        "documents": mla.documents.all(),
        "may_manage": may_manage,
        "may_send": may_manage and mla.status == workflow.DRAFTED,
        "move_form": extra.pop("move_form", None)
        or (MoveForm(statuses=statuses, calendar=request.user.date_preference) if may_manage and statuses else None),
        "document_form": extra.pop("document_form", None) or (DocumentForm() if may_manage and mla.is_open else None),
        "send_errors": extra.pop("send_errors", []),
        "today": timezone.localdate(),
        **extra,
    }


@require_GET
def request_detail(request: AuthedRequest, public_id) -> HttpResponse:
    mla = selectors.request_get_for(request.user, public_id)
    return render(request, "mla/request_detail.html", _detail_context(request, mla))


@require_http_methods(["GET", "POST"])
def request_create(request: AuthedRequest) -> HttpResponse:
    grant = policy.require(request.user, Permission.MLA_MANAGE, object_type=services.REQUEST_OBJECT)
    organisations = Organisation.objects.filter(pk__in=grant.organisation_ids, is_active=True).order_by("name_en")
    options = {"organisations": organisations, "prosecutions": selectors.prosecutions_for(request.user),
               "calendar": request.user.date_preference}  # fmt: skip
    if request.method == "POST":
        form = DraftForm(request.POST, **options)
        if form.is_valid():
            try:
                mla = services.request_draft(actor=request.user, **form.service_kwargs())
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("The request is drafted. Add its documents, then send it."))
                return redirect("mla:request_detail", public_id=mla.public_id)
    else:
        form = DraftForm(**options)
    return render(request, "mla/request_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def request_edit(request: AuthedRequest, public_id) -> HttpResponse:
    mla = selectors.request_get_for(request.user, public_id, permission=Permission.MLA_MANAGE)
    options = {"organisations": Organisation.objects.none(), "prosecutions": selectors.prosecutions_for(request.user),
               "calendar": request.user.date_preference}  # fmt: skip
    if request.method == "POST":
        form = DraftForm(request.POST, **options)
        if form.is_valid():
            try:
                services.request_update(actor=request.user, request=mla, **form.service_kwargs())
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("The changes are saved."))
                return redirect("mla:request_detail", public_id=mla.public_id)
    else:
        form = DraftForm(initial=DraftForm.initial_for(mla), **options)
    return render(request, "mla/request_form.html", {"form": form, "mla": mla})


@require_POST
def request_send(request: AuthedRequest, public_id) -> HttpResponse:
    mla = selectors.request_get_for(request.user, public_id, permission=Permission.MLA_MANAGE)
    try:
        services.request_send(actor=request.user, request=mla)
    except ValidationError as exc:
        context = _detail_context(request, mla, send_errors=exc.messages)
        return render(request, "mla/request_detail.html", context, status=400)
    messages.success(request, _("The request is sent: the other country's node receives it shortly."))
    return redirect("mla:request_detail", public_id=mla.public_id)


@require_POST
def request_move(request: AuthedRequest, public_id) -> HttpResponse:
    mla = selectors.request_get_for(request.user, public_id, permission=Permission.MLA_MANAGE)
    statuses = workflow.next_statuses(mla.direction, mla.status)
    form = MoveForm(request.POST, statuses=statuses, calendar=request.user.date_preference)
    if form.is_valid():
        try:
            services.request_move(actor=request.user, request=mla, status=form.cleaned_data["status"],
                                  reason=form.cleaned_data["reason"], on=form.cleaned_data["on"])  # fmt: skip
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The status is recorded."))
            return redirect("mla:request_detail", public_id=mla.public_id)
    return render(request, "mla/request_detail.html", _detail_context(request, mla, move_form=form), status=400)


@require_POST
def document_add(request: AuthedRequest, public_id) -> HttpResponse:
    mla = selectors.request_get_for(request.user, public_id, permission=Permission.MLA_MANAGE)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_add(actor=request.user, request=mla, kind=form.cleaned_data["kind"],
                                  title=form.cleaned_data["title"], upload=form.cleaned_data["file"])  # fmt: skip
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The document is added."))
            return redirect("mla:request_detail", public_id=mla.public_id)
    return render(request, "mla/request_detail.html", _detail_context(request, mla, document_form=form), status=400)


@require_GET
@never_cache
def document(request: AuthedRequest, public_id, document_id) -> FileResponse:
    """A document, only after the access check, always as a download."""
    stored = selectors.document_get_for(request.user, public_id, document_id)
    return protected_file(stored.file.open("rb"), content_type=stored.content_type, filename=stored.download_name)
