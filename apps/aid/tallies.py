"""The aid application tally's definition (`ApplicationTally`, installed by migration 0003)."""

from apps.core.tally import Tally

APPLICATIONS = Tally(
    name="aid_application_tally", source="aid_application", table="aid_applicationtally",
    keys=(("campaign_id", "campaign_id"), ("town", "COALESCE(town_street_id, 0)"), ("status", "status")),
    sums=(("amount", "COALESCE(amount, 0)"),),
)
