"""The training data the documents read (``services.document_views`` looks for this module).

- :func:`jp_records`: (activity code, JP) of one employee's records of a year;
- :func:`jp_recap`: the whole JP recap view of a unit (one aggregate query).
"""

from kinerja_desktop.services.training.jp_recap_view import jp_recap
from kinerja_desktop.services.training.records import jp_records

__all__ = ["jp_recap", "jp_records"]
