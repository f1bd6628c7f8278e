"""Printable documents: the registry, kinds, signing certificates, evidence and received files."""
