"""The mutual-aid tallies' definitions (`EnrolmentTally`, `ClaimTally`, installed by migration 0004)."""

from apps.core.tally import Tally

ENROLMENTS = Tally(
    name="mutualaid_enrolment_tally", source="mutualaid_enrolment", table="mutualaid_enrolmenttally",
    keys=(("year", "year"), ("town", "town_street_id")),
    sums=(("contribution", "contribution"),),
)
# The month in Asia/Shanghai (models.TALLY_ZONE), as the dashboard counts it.
CLAIMS = Tally(
    name="mutualaid_claim_tally", source="mutualaid_claim", table="mutualaid_claimtally",
    keys=(("scheme_id", "scheme_id"), ("town", "town_street_id"),
          ("month", "EXTRACT(MONTH FROM submitted_at AT TIME ZONE 'Asia/Shanghai')::integer"), ("status", "status")),
    sums=(("payable", "COALESCE(payable_amount, 0)"),),
)
