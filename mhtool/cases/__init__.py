"""Case follow-up: what the director did with each situation, to whom it was
passed on, and what must be chased this week (`mhtool cases ...`), and the
weekly handover of risky ads to a municipality (`mhtool ads handover`)."""
