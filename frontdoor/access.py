"""Who may see what: roles, the roles file, and the scope each role gives child-level queries.

Roles (issue: sign-in, roles, team scoping):
- senior_manager: everything at child level, no Data page loading, no audit log;
- team_lead: all aggregates; child-level only for children allocated to, referred to or
  assessed by their teams;
- conference_chair: all aggregates; child-level only for children with a CP plan or conference;
- analyst: everything, plus the Data page, loading extracts and the audit log;
- aggregates_only: what an unknown viewer on real data gets.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

SENIOR_MANAGER = "senior_manager"
TEAM_LEAD = "team_lead"
CONFERENCE_CHAIR = "conference_chair"
ANALYST = "analyst"
AGGREGATES_ONLY = "aggregates_only"

ROLES = {
    SENIOR_MANAGER: "Senior manager",
    TEAM_LEAD: "Team lead",
    CONFERENCE_CHAIR: "Conference chair",
    ANALYST: "Analyst",
}


@dataclass(frozen=True)
class Viewer:
    """The person looking, as the app knows them."""

    user: str  # email, or "demo:<role>" in demo mode, or "anonymous"
    role: str
    teams: tuple[str, ...] = ()
    demo: bool = False

    @property
    def scope(self) -> str | None:
        """The child-level scope for metrics.Filters (None = all children)."""
        return {
            SENIOR_MANAGER: None,
            ANALYST: None,
            TEAM_LEAD: "teams",
            CONFERENCE_CHAIR: "cp",
        }.get(self.role, "none")

    @property
    def scope_teams(self) -> tuple[str, ...] | None:
        return self.teams if self.role == TEAM_LEAD else None

    @property
    def can_manage_data(self) -> bool:
        return self.role == ANALYST

    @property
    def can_read_audit(self) -> bool:
        return self.role == ANALYST

    @property
    def sees_names(self) -> bool:
        """Child names are shown only to roles that work with every child's record."""
        return self.role in (SENIOR_MANAGER, ANALYST)


@dataclass(frozen=True)
class RoleGrant:
    role: str
    teams: tuple[str, ...] = ()


class RolesFile:
    """`roles.toml`: `[users."a@b.gov.uk"]` and `[groups."Group name"]` tables, each with
    `role = "team_lead"` and optional `teams = ["T01"]`. A user's own entry wins over groups."""

    def __init__(self, users: dict[str, RoleGrant], groups: dict[str, RoleGrant]):
        self.users = users
        self.groups = groups

    @classmethod
    def read(cls, path: Path | str | None) -> RolesFile:
        if path is None or not Path(path).exists():
            return cls({}, {})
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        return cls(_grants(data.get("users", {}), path), _grants(data.get("groups", {}), path))

    def viewer(self, email: str | None, groups: list[str] | tuple[str, ...] = ()) -> Viewer:
        """The viewer for a signed-in user; someone not in the file sees aggregates only."""
        if not email:
            return Viewer("anonymous", AGGREGATES_ONLY)
        grant = self.users.get(email.strip().lower())
        if grant is None:
            for group in groups:
                if group in self.groups:
                    grant = self.groups[group]
                    break
        if grant is None:
            return Viewer(email, AGGREGATES_ONLY)
        return Viewer(email, grant.role, grant.teams)


def _grants(table: dict, path: Path | str) -> dict[str, RoleGrant]:
    out: dict[str, RoleGrant] = {}
    for name, entry in table.items():
        role = entry.get("role")
        if role not in ROLES:
            raise ValueError(
                f"{path}: {name!r} has role {role!r}; expected one of {', '.join(ROLES)}"
            )
        teams = tuple(str(t) for t in entry.get("teams", ()))
        if role == TEAM_LEAD and not teams:
            raise ValueError(f"{path}: team lead {name!r} needs teams = [...]")
        out[name.strip().lower() if "@" in name else name] = RoleGrant(role, teams)
    return out
