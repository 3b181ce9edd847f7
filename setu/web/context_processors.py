from django.conf import settings
from django.http import HttpRequest

from setu.accounts import policy
from setu.accounts.roles import Permission


def setu(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    can = {}
    if user is not None and user.is_authenticated:
        can = {p.name.lower(): policy.has_permission(user, p) for p in Permission}
    return {
        "node_code": settings.SETU_NODE,
        "node_name": settings.SETU_NODE_NAMES[settings.SETU_NODE],
        "peer_urls": settings.SETU_PEER_URLS,
        "demo_mode": settings.SETU_DEMO,
        "can": can,
    }
