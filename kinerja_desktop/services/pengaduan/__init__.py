"""Citizen complaints: cases, access, catalogue, clocks, documents, import and export."""
