"""The member tally's definition (`MemberTally`, installed by migration 0004)."""

from apps.core.tally import Tally

# One row per town/street, status, year joined (0: not known) and whether the member has a login.
MEMBERS = Tally(
    name="members_tally", source="members_member", table="members_membertally",
    keys=(("town_street_id", "town_street_id"), ("status", "status"),
          ("joined_year", "COALESCE(EXTRACT(YEAR FROM joined_on)::integer, 0)"),
          ("with_login", "user_id IS NOT NULL")),
)
