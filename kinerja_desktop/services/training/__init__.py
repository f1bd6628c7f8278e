"""Training records, the catalogue, JP compliance, competencies and development plans."""
