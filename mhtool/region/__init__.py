"""The region: its municipalities and places, inhabitants, costs, and its CLI."""
