"""The Pengaduan page's other tabs: figures per ASN and unit (with the chart per service per
month), and the service catalogue with the holiday calendar."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain import pengaduan as rules
from kinerja_desktop.i18n import _
from kinerja_desktop.services.pengaduan.catalog import list_holidays, list_services, save_service, set_holiday
from kinerja_desktop.services.pengaduan.clock import today_wib
from kinerja_desktop.services.pengaduan.docs import public_status_url, set_public_url
from kinerja_desktop.services.pengaduan.figures import monthly_by_service, recap_units, unit_by_code, unit_recap
from kinerja_desktop.services.pengaduan.query import office_units
from kinerja_desktop.ui.pengaduan_chart import MonthlyServiceChart
from kinerja_desktop.ui.theme import MessageLabel


def _table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().setVisible(False)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setAlternatingRowColors(True)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    return t


def _fill(table: QTableWidget, rows: list[tuple]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            table.setItem(r, c, QTableWidgetItem(str(v)))


def span_choices(year: int) -> list[tuple[str, str]]:
    out = [(str(year), _("Tahun {year}").format(year=year))]
    out += [
        (f"{year}-TW{q}", _("Triwulan {q} {year}").format(q=("I", "II", "III", "IV")[q - 1], year=year))
        for q in range(1, 5)
    ]
    out += [(f"{year}-S{s}", _("Semester {s} {year}").format(s=("I", "II")[s - 1], year=year)) for s in (1, 2)]
    return out


class FiguresTab(QWidget):
    """Per ASN and per unit: handled, share on time, median first response; the chart."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        bar = QHBoxLayout()
        self.unit = QComboBox()
        self.unit.setObjectName("figuresUnit")
        self.span = QComboBox()
        year = today_wib().year
        for y in (year, year - 1):
            for code, label in span_choices(y):
                self.span.addItem(label, code)
        bar.addWidget(QLabel(_("Unit")))
        bar.addWidget(self.unit, 2)
        bar.addWidget(QLabel(_("Periode")))
        bar.addWidget(self.span, 1)
        layout.addLayout(bar)
        self.summary = QLabel("")
        self.summary.setObjectName("figuresSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = _table(
            [
                _("NIP"),
                _("Nama"),
                _("Ditangani"),
                _("Tepat waktu"),
                _("% tepat waktu"),
                _("Terlambat (terbuka)"),
                _("Median tanggapan pertama"),
            ]
        )
        self.table.setObjectName("figuresTable")
        layout.addWidget(self.table, 2)
        layout.addWidget(QLabel(_("Pengaduan per layanan per bulan")))
        self.chart = MonthlyServiceChart()
        layout.addWidget(self.chart, 2)
        self.unit.currentIndexChanged.connect(lambda _i: self.load())
        self.span.currentIndexChanged.connect(lambda _i: self.load())
        self._started = False

    def start(self) -> None:

        def fill(units) -> None:
            self.unit.blockSignals(True)
            current = self.unit.currentData()
            self.unit.clear()
            for code, name in units:
                self.unit.addItem(f"{name} ({code})", code)
            self.unit.setCurrentIndex(max(0, self.unit.findData(current)))
            self.unit.blockSignals(False)
            self.load()

        principal = self.ctx.principal
        self.ctx.query(lambda s: recap_units(s, principal), fill, owner=self, key="pengaduan-recap-units")

    def load(self) -> None:

        code, span = self.unit.currentData(), self.span.currentData()
        if not code:
            self.summary.setText(_("Belum ada unit dengan layanan pengaduan."))
            return
        principal = self.ctx.principal

        def work(s):
            recap = unit_recap(s, principal, code, span)
            unit_id = unit_by_code(s, code).id
            return recap, monthly_by_service(s, principal, int(span[:4]), unit_id=unit_id)

        self.ctx.query(work, self._show, owner=self, key="pengaduan-recap")

    def _show(self, result) -> None:
        recap, (names, series) = result
        u = recap.unit
        self.summary.setText(
            _(
                "{unit}, {label}: {handled} pengaduan ditangani, {pct} tepat waktu, {late} terbuka "
                "lewat batas, median tanggapan pertama {median}."
            ).format(
                unit=recap.unit_name,
                label=recap.label,
                handled=u.handled,
                pct=rules.format_percent(u.on_time_share),
                late=u.open_overdue,
                median=rules.format_hours(u.median_response_hours),
            )
        )
        rows = [
            (
                r.nip,
                r.name,
                r.figures.handled,
                r.figures.on_time,
                rules.format_percent(r.figures.on_time_share),
                r.figures.open_overdue,
                rules.format_hours(r.figures.median_response_hours),
            )
            for r in recap.rows
            if r.figures.handled or r.figures.open_overdue or r.figures.responded
        ]
        _fill(self.table, rows)
        self.chart.set_data(names, series)


class CatalogTab(QWidget):
    """Services per unit with their deadlines; the district's holidays."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:  # noqa: PLR0915 (long: builds the widgets top to bottom, one field or button a line)
        super().__init__(parent)
        self.ctx = ctx
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        left = QVBoxLayout()
        self.services = _table(
            [_("Unit"), _("Kode"), _("Layanan"), _("Verifikasi"), _("Tanggapan"), _("Selesai"), _("Aktif")]
        )
        self.services.setObjectName("serviceTable")
        self.services.horizontalHeader().setStretchLastSection(False)
        self.services.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.services.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        left.addWidget(self.services, 1)
        box = QGroupBox(_("Tambah atau ubah layanan (batas dalam hari kerja)"))
        form = QFormLayout(box)
        self.unit = QComboBox()
        self.code = QLineEdit()
        self.code.setMaxLength(40)
        self.name = QLineEdit()
        self.name.setMaxLength(200)
        self.days = [QSpinBox() for _i in range(3)]
        for spin, value in zip(
            self.days, (rules.DEFAULT_DAYS_VERIFY, rules.DEFAULT_DAYS_RESPOND, rules.DEFAULT_DAYS_CLOSE), strict=False
        ):
            spin.setRange(1, rules.MAX_DAYS)
            spin.setValue(value)
        days_row = QHBoxLayout()
        for label, spin in zip((_("verifikasi"), _("tanggapan"), _("selesai")), self.days, strict=False):
            days_row.addWidget(QLabel(label))
            days_row.addWidget(spin)
        self.save_button = QPushButton(_("Simpan layanan"))
        form.addRow(_("Unit"), self.unit)
        form.addRow(_("Kode"), self.code)
        form.addRow(_("Nama layanan"), self.name)
        form.addRow(_("Batas"), days_row)
        form.addRow("", self.save_button)
        left.addWidget(box)
        self.message = MessageLabel()
        left.addWidget(self.message)
        layout.addLayout(left, 3)
        right = QVBoxLayout()
        right.addWidget(QLabel(_("Hari libur tahun ini (tidak dihitung sebagai hari kerja)")))
        self.holidays = _table([_("Tanggal"), _("Nama")])
        right.addWidget(self.holidays, 1)
        hrow = QHBoxLayout()
        self.h_date = QDateEdit(QDate.currentDate())
        self.h_date.setCalendarPopup(True)
        self.h_date.setDisplayFormat("dd-MM-yyyy")
        self.h_name = QLineEdit()
        self.h_name.setPlaceholderText(_("Nama hari libur"))
        self.h_add = QPushButton(_("Tambah"))
        hrow.addWidget(self.h_date)
        hrow.addWidget(self.h_name, 1)
        hrow.addWidget(self.h_add)
        right.addLayout(hrow)
        url_box = QGroupBox(_("Alamat halaman pengaduan publik (dicetak pada tanda terima)"))
        url_row = QHBoxLayout(url_box)
        self.public_url = QLineEdit()
        self.public_url.setObjectName("publicUrl")
        self.public_url.setPlaceholderText("https://pengaduan.batangharikab.go.id/pengaduan")
        self.url_button = QPushButton(_("Simpan alamat"))
        url_row.addWidget(self.public_url, 1)
        url_row.addWidget(self.url_button)
        right.addWidget(url_box)
        layout.addLayout(right, 2)
        self.url_button.clicked.connect(self.save_url)
        self.save_button.clicked.connect(self.save_service)
        self.h_add.clicked.connect(self.add_holiday)
        self.services.currentCellChanged.connect(lambda row, *_a: self._pick(row))
        self._rows = []
        ctx.bus.subscribe({"complaint_services", "holidays"}, self.start, owner=self)

    def start(self) -> None:

        year = today_wib().year
        self.ctx.query(
            lambda s: (
                list_services(s),
                [(h.day, h.name) for h in list_holidays(s, year)],
                office_units(s),
                public_status_url(s),
            ),
            self._show,
            owner=self,
            key="pengaduan-catalog",
        )

    def _show(self, result) -> None:
        services, holidays, units, url = result
        self.public_url.setText(url)
        self._rows = services
        _fill(
            self.services,
            [
                (
                    r.unit_name,
                    r.code,
                    r.name,
                    r.days.verify,
                    r.days.respond,
                    r.days.close,
                    _("ya") if r.active else _("tidak"),
                )
                for r in services
            ],
        )
        _fill(self.holidays, [(day.strftime("%d-%m-%Y"), name) for day, name in holidays])
        current = self.unit.currentData()
        self.unit.clear()
        for uid, name in units:
            self.unit.addItem(name, uid)
        self.unit.setCurrentIndex(max(0, self.unit.findData(current)))

    def _pick(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            r = self._rows[row]
            self.unit.setCurrentIndex(max(0, self.unit.findData(r.unit_id)))
            self.code.setText(r.code)
            self.name.setText(r.name)
            for spin, v in zip(self.days, (r.days.verify, r.days.respond, r.days.close), strict=False):
                spin.setValue(v)

    def save_service(self) -> None:

        unit_id = self.unit.currentData()
        code, name = self.code.text(), self.name.text()
        days = rules.StepDays(*(s.value() for s in self.days))
        existing = next((r.id for r in self._rows if r.unit_id == unit_id and r.code == code.strip().upper()), None)
        principal = self.ctx.principal
        self.message.clear_message()
        self.ctx.write(
            lambda s: save_service(s, principal, unit_id=unit_id, code=code, name=name, days=days, service_id=existing),
            lambda _r: self.message.show_message(_("Layanan disimpan."), MessageLabel.OK),
            changes={"complaint_services"},
            owner=self,
        )

    def save_url(self) -> None:

        url, principal = self.public_url.text(), self.ctx.principal
        self.message.clear_message()
        self.ctx.write(
            lambda s: set_public_url(s, principal, url),
            lambda _r: self.message.show_message(_("Alamat disimpan."), MessageLabel.OK),
            changes={"settings"},
            owner=self,
        )

    def add_holiday(self) -> None:

        q = self.h_date.date()
        day, name, principal = date(q.year(), q.month(), q.day()), self.h_name.text(), self.ctx.principal
        self.ctx.write(
            lambda s: set_holiday(s, principal, day, name),
            lambda _r: self.h_name.clear(),
            changes={"holidays"},
            owner=self,
        )
