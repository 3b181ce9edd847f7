"""This installation's identity: which country's node it is."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Node:
    code: str  # ISO 3166-1 alpha-2: NP or IN
    name: str

    @property
    def country_code(self) -> str:
        return self.code


def this_node() -> Node:
    return Node(code=settings.SETU_NODE, name=str(settings.SETU_NODE_NAMES[settings.SETU_NODE]))
