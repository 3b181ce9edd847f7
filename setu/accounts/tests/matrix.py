"""One row of the permission matrix (tests/test_permission_matrix.py), as each app lists its pages and endpoints
in its own tests/matrix module: the name, the method, the path (made from the matrix's context, which holds
the out-of-scope records), the permission, whether it addresses one record, the form data and whether it is an
API endpoint. `as_endpoint()` gives the matrix's Endpoint its keyword arguments."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from setu.accounts.roles import Permission


@dataclass(frozen=True)
class MatrixRow:
    name: str
    method: str
    path: Callable[[dict], str]
    permission: Permission | str  # a Permission or its value
    object_level: bool = False
    data: dict | Callable[[dict], dict] | None = None
    api: bool = False

    def as_endpoint(self) -> dict:
        """The keyword arguments of tests/test_permission_matrix.py's Endpoint."""
        return {"name": self.name, "method": self.method, "path": self.path, "permission": Permission(self.permission),
                "object_level": self.object_level, "data": self.data, "api": self.api}  # fmt: skip
