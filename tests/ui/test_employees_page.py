"""The Pegawai page: rows, search, filters, sorting and what a pejabat penilai may see."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from tests.ui.conftest import sign_in_as


def _page(make_window, db, username):
    window = make_window(db, sign_in_as(db, username), page="employees")
    return window, window.pages["employees"]


def _wait_loaded(qtbot, page):
    qtbot.waitUntil(lambda: not page.model.busy, timeout=5000)


def _column(page, key):
    from kinerja_desktop.ui.roster_model import COLUMNS

    i = next(i for i, c in enumerate(COLUMNS) if c.key == key)
    return [page.model.index(r, i).data() for r in range(page.model.rowCount())]


def test_rows_from_the_database_and_the_count(qtbot, make_window, demo_db):
    window, page = _page(make_window, demo_db, "kepegawaian")
    _wait_loaded(qtbot, page)
    assert page.model.total == 300
    assert page.model.rowCount() == 200  # one page, the rest on scrolling
    assert "300 pegawai" in page.count_label.text()
    names = _column(page, "name")
    assert names == sorted(names, key=str.casefold) or names[0] <= names[-1]
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() == 300, timeout=5000)
    assert page.count_label.text() == "300 pegawai"


def test_search_as_you_type_filters_by_name_and_nip(qtbot, make_window, demo_db):
    window, page = _page(make_window, demo_db, "kepegawaian")
    _wait_loaded(qtbot, page)
    first_name = _column(page, "name")[0]
    word = max((w for w in first_name.replace(",", " ").split() if "." not in w), key=len)
    page.search.setFocus()
    qtbot.keyClicks(page.search, word)
    qtbot.waitUntil(lambda: page.model.filter.text == word and not page.model.busy, timeout=5000)
    names = _column(page, "name")
    assert names and all(word.casefold() in n.casefold() for n in names)
    assert page.model.total < 300

    nip = _column(page, "nip")[0]
    page.search.clear()
    qtbot.keyClicks(page.search, nip[:12])
    qtbot.waitUntil(lambda: page.model.filter.text == nip[:12] and not page.model.busy, timeout=5000)
    nips = _column(page, "nip")
    assert nip in nips and all(n.startswith(nip[:8]) for n in nips)

    page.search.clear()
    qtbot.keyClicks(page.search, "tidak ada nama seperti ini")
    qtbot.waitUntil(lambda: page.model.total == 0 and not page.model.busy, timeout=5000)
    assert page.empty_label.isVisible()
    assert "Tidak ada pegawai yang cocok" in page.empty_label.text()


def test_filters_status_and_sorting_by_nip(qtbot, make_window, demo_db):
    window, page = _page(make_window, demo_db, "kepegawaian")
    _wait_loaded(qtbot, page)
    page.status_filter.setCurrentIndex(page.status_filter.findData("PPPK"))
    qtbot.waitUntil(lambda: page.model.filter.status == "PPPK" and not page.model.busy, timeout=5000)
    assert set(_column(page, "status")) == {"PPPK"}
    pppk = page.model.total
    assert 0 < pppk < 300

    header = page.table.horizontalHeader()
    x = header.sectionViewportPosition(0) + header.sectionSize(0) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    qtbot.waitUntil(lambda: page.model.sort_key == "nip" and not page.model.busy, timeout=5000)
    nips = [n.replace(" ", "") for n in _column(page, "nip")]
    assert nips == sorted(nips)


def test_unit_filter_from_the_tree(qtbot, make_window, demo_db):
    window, page = _page(make_window, demo_db, "kepegawaian")
    _wait_loaded(qtbot, page)
    qtbot.mouseClick(page.unit_filter, Qt.MouseButton.LeftButton)
    popup = page.unit_filter.popup
    assert popup is not None and popup.isVisible()
    qtbot.keyClicks(popup.search, "Puskesmas")
    index = popup.tree.currentIndex()
    assert "Puskesmas" in index.data()
    unit_name = index.data().rsplit(" (", 1)[0]
    qtbot.keyClick(popup.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.model.filter.unit_id is not None and not page.model.busy, timeout=5000)
    units = set(_column(page, "unit"))
    assert units and all(u == unit_name for u in units)


def test_pejabat_penilai_sees_only_their_chain(qtbot, make_window, demo_db):
    from kinerja_desktop.services.access.permissions import subordinate_ids

    principal = sign_in_as(demo_db, "penilai")
    with demo_db.session() as s:
        below = subordinate_ids(s, principal.employee_id)
    window = make_window(demo_db, principal, page="employees")
    page = window.pages["employees"]
    _wait_loaded(qtbot, page)
    assert 0 < page.model.total <= len(below)
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() == page.model.total, timeout=10000)
    shown = {page.model.row_id(r) for r in range(page.model.rowCount())}
    assert shown <= below and principal.employee_id not in shown
    assert not page.add_button.isVisible() and not page.import_button.isVisible()
    assert not page.export_button.isVisible()
    assert page.edit_button.text() == "Lihat…"


def test_scrolling_on_loads_the_rows_that_follow_in_every_sort(qtbot, make_window, demo_db):
    """fetchMore continues after the last row loaded (keyset paging): the rows, scrolled to
    the end, are those of one ordered query, for a plain and for a grouped sort."""
    from kinerja_desktop.services.roster import query as rq

    window, page = _page(make_window, demo_db, "kepegawaian")
    _wait_loaded(qtbot, page)
    header = page.table.horizontalHeader()
    for section, key in ((1, "name"), (3, "golongan"), (5, "unit")):
        header.setSortIndicator(section, Qt.SortOrder.DescendingOrder)
        qtbot.waitUntil(lambda key=key: page.model.sort_key == key and not page.model.busy, timeout=5000)
        while page.model.rowCount() < page.model.total:
            page.table.scrollToBottom()
            count = page.model.rowCount()
            qtbot.waitUntil(lambda count=count: page.model.rowCount() > count, timeout=5000)
        shown = [page.model.row_id(r) for r in range(page.model.rowCount())]
        with demo_db.session() as s:
            want = [
                r.id
                for r in rq.fetch_employees(
                    s, window.ctx.principal, page.model.filter, limit=1000, sort=key, descending=True
                )
            ]
        assert shown == want, key


def test_columns_fit_a_1366_by_768_window(qtbot, make_window, demo_db):
    """The grouped NIP (a PPPK one is the longest) is never cut; the name takes the room
    left; position, unit and supervisor are cut with an ellipsis and show the whole text in
    their tooltip; nothing needs a horizontal scroll bar."""
    from PySide6.QtWidgets import QHeaderView

    from kinerja_desktop.ui.roster_model import COLUMNS

    window, page = _page(make_window, demo_db, "kepegawaian")
    _wait_loaded(qtbot, page)
    qtbot.waitUntil(lambda: page.table.viewport().width() > 900, timeout=5000)
    header = page.table.horizontalHeader()
    col = {c.key: i for i, c in enumerate(COLUMNS)}
    metrics = page.table.fontMetrics()
    for nip in ("19790109 2021 21 1 001", "19850314 201004 1 001"):
        assert metrics.horizontalAdvance(nip) + 8 <= header.sectionSize(col["nip"]), nip
    assert header.sectionResizeMode(col["nip"]) == QHeaderView.ResizeMode.Fixed
    assert header.sectionResizeMode(col["name"]) == QHeaderView.ResizeMode.Stretch
    assert header.sectionSize(col["name"]) >= 160
    for key in ("position", "unit", "supervisor"):
        assert header.sectionSize(col[key]) >= 120, key
    assert header.length() <= page.table.viewport().width() + 1
    assert page.table.itemDelegateForColumn(col["position"]).mode == Qt.TextElideMode.ElideMiddle
    assert page.table.itemDelegateForColumn(col["unit"]).mode == Qt.TextElideMode.ElideRight
    for key in ("name", "position", "unit", "supervisor"):
        index = next(
            page.model.index(r, col[key]) for r in range(page.model.rowCount()) if page.model.index(r, col[key]).data()
        )
        assert index.data(Qt.ItemDataRole.ToolTipRole) == index.data(), key
