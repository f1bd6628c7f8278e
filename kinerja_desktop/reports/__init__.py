"""Printed and signed documents (ReportLab, pyHanko, segno); no Qt here.

- ``views``: what each document shows, as plain data (``services.document_views`` fills them
  from the database; ``services.documents`` is the one service the window and the command
  line call).
- ``short_form``, ``detailed_form``, ``skp_form``, ``recap``, ``jp_recap``: the documents;
  ``document``, ``letterhead``, ``styles``, ``fonts``, ``chart``, ``qr``: what they share.
- ``render.produce``: render (and sign) any view; ``batch``: many, over worker processes.
- ``signing`` (PAdES), ``verify`` (pyHanko's validator), ``certs`` (district CA, user
  certificates, trusted CA list), ``raster`` (pages as images for preview and printing),
  ``selftest_step`` (the ``kinerja selftest`` step), ``samples`` (example documents).
"""
