"""The employee roster: the form's rules, queries, the SIASN import and export, the unit tree."""
