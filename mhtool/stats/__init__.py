"""Figures for the quarterly report: `mhtool stats`, `mhtool report`, the region's numbers."""

# The fields figures can be counted by (`mhtool stats --by`), in help order.
FIELDS = (
    "gemeente",
    "type",
    "source",
    "place",
    "month",
    "quarter",
    "year",
    "victim_gender",
    "victim_age",
    "victim_nationality",
    "status",
    "forwarded_to",
)
