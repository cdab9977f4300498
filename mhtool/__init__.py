"""mhtool: signals, sex-ad scoring and figures for a regional chain director
for human trafficking (ketenregisseur mensenhandel)."""

__version__ = "0.1.0"
