"""Settings of the pegawai cycle: the keberatan period and the idle sign-out of shared PCs.

Stored like every setting (``services.settings``: local to the site, audited, set by an
administrator).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.principal import Principal
from kinerja_desktop.services.settings import get_setting, set_setting

KEBERATAN_DAYS = "keberatan_days"
IDLE_SIGNOUT_MINUTES = "idle_signout_minutes"
#: PP 30/2019 Pasal 59: 14 days from receiving the result.
DEFAULT_KEBERATAN_DAYS = 14
DEFAULT_IDLE_MINUTES = 10
BOUNDS = {KEBERATAN_DAYS: (1, 90), IDLE_SIGNOUT_MINUTES: (1, 240)}


def _int(session: Session, key: str, default: int) -> int:
    value = get_setting(session, key, default)
    low, high = BOUNDS[key]
    return value if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high else default


def keberatan_days(session: Session) -> int:
    return _int(session, KEBERATAN_DAYS, DEFAULT_KEBERATAN_DAYS)


def idle_minutes(session: Session) -> int:
    return _int(session, IDLE_SIGNOUT_MINUTES, DEFAULT_IDLE_MINUTES)


def set_keberatan_days(session: Session, actor: Principal, days: int) -> None:
    _set(session, actor, KEBERATAN_DAYS, days, _("Batas waktu keberatan harus {low}–{high} hari."))


def set_idle_minutes(session: Session, actor: Principal, minutes: int) -> None:
    _set(session, actor, IDLE_SIGNOUT_MINUTES, minutes, _("Waktu keluar otomatis harus {low}–{high} menit."))


def _set(session: Session, actor: Principal, key: str, value, sentence: str) -> None:
    low, high = BOUNDS[key]
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise UserError(sentence.format(low=low, high=high))
    set_setting(session, actor, key, value)
