"""Import every model so the mappers and the metadata are complete."""

from kinerja_desktop.store.angka_kredit import AngkaKreditAwal  # noqa: F401
from kinerja_desktop.store.audit import AuditEntry
from kinerja_desktop.store.base import Base, Synced, synced_tables
from kinerja_desktop.store.changes import ChangeLog
from kinerja_desktop.store.development import DevelopmentPlanItem  # noqa: F401
from kinerja_desktop.store.documents import RevocationList, SignedDocument  # noqa: F401
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.evaluation import Evaluation, UnitCapaian  # noqa: F401
from kinerja_desktop.store.feedback import DialogMeeting, EvidenceFile, FeedbackNote  # noqa: F401
from kinerja_desktop.store.kepala_daerah import KepalaDaerah  # noqa: F401
from kinerja_desktop.store.org import Position, Unit
from kinerja_desktop.store.pegawai import (  # noqa: F401
    Acknowledgement,
    DialogConfirmation,
    EvaluationShare,
    FeedbackReply,
    Keberatan,
    RealisasiReport,
    SkpProposal,
)
from kinerja_desktop.store.pengaduan import Complaint, ComplaintService, ComplaintStep, Holiday  # noqa: F401
from kinerja_desktop.store.periods import Period  # noqa: F401
from kinerja_desktop.store.site import Setting, Site
from kinerja_desktop.store.skp import Iki, Rhk, Skp, SkpExpectation  # noqa: F401
from kinerja_desktop.store.sync_models import ReceivedBundle, SentBundle, SiteKey, SyncAck, SyncConflict  # noqa: F401
from kinerja_desktop.store.training import (  # noqa: F401
    CompetencyAssessment,
    CompetencyRequirement,
    CompetencySuggestion,
    TechnicalCompetency,
    TrainingActivity,
    TrainingRecord,
    TrainingType,
)
from kinerja_desktop.store.users import User

__all__ = [
    "AuditEntry",
    "Base",
    "ChangeLog",
    "Employee",
    "Position",
    "Setting",
    "Site",
    "Synced",
    "Unit",
    "User",
    "synced_tables",
]
