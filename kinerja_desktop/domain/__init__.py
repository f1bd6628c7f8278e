"""Pure rules of ASN performance management (no I/O, no Qt, no database).

Modules, each named for what it holds:

- ``nip``: NIP (PNS) and NI PPPK parsing and validation.
- ``golongan``: PNS golongan/pangkat and PPPK golongan.
- ``predikat``: ratings, the predikat matrix, capaian kinerja organisasi.
- ``distribution``: the distribution curve (pola distribusi), guidance only.
- ``berakhlak``: the seven BerAKHLAK core values and their indicators.
- ``training``: competency development activity types and the 20 JP rule.
- ``competency``: managerial and socio-cultural competencies, levels and gaps.
- ``positions``: kinds of position (jabatan) and guesses from a position name.
- ``dates``: Indonesian date formatting and lenient date parsing.

Tables of names are Indonesian source strings marked with ``N_``; pass them through
``kinerja_desktop.i18n._`` when showing them in the interface.
"""
