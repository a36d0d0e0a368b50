"""The mutual-aid tallies' definitions (`EnrolmentTally`, `ClaimTally`, installed by migration 0004)."""

from apps.core.tally import Tally

ENROLMENTS = Tally(
    name="mutualaid_enrolment_tally", source="mutualaid_enrolment", table="mutualaid_enrolmenttally",
    keys=(("year", "year"), ("town", "town_street_id")),
    sums=(("contribution", "contribution"),),
)
# The calendar of ClaimTally.month: the site's TIME_ZONE, in which the dashboard counts months
# (the selector counts the claims themselves under any other active zone).
TALLY_ZONE = "Asia/Shanghai"
CLAIMS = Tally(
    name="mutualaid_claim_tally", source="mutualaid_claim", table="mutualaid_claimtally",
    keys=(("scheme_id", "scheme_id"), ("town", "town_street_id"),
          ("month", f"EXTRACT(MONTH FROM submitted_at AT TIME ZONE '{TALLY_ZONE}')::integer"), ("status", "status")),
    sums=(("payable", "COALESCE(payable_amount, 0)"),),
)
