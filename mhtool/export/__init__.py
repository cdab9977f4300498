"""Exports for partners: records, pseudonymization and the identifiers it finds."""
