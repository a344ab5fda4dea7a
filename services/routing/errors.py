"""Routing's problems (application/problem+json through shared.web); nothing changes when one
is raised, because each is raised before, or rolls back, the transaction."""

from shared.auth import Forbidden
from shared.problems import Conflict, NotFound, Problem


class NotRouted(NotFound):
    slug = "not-routed"
    title = "Laporan belum didisposisikan / Report not routed"


class UnknownAgency(Problem):
    status = 422
    slug = "unknown-agency"
    title = "Instansi tidak dikenal / Unknown agency"


class InactiveAgency(Problem):
    status = 422
    slug = "inactive-agency"
    title = "Instansi tidak aktif / Agency is not active"


class OutOfSubtree(Forbidden):
    slug = "out-of-subtree"
    title = "Di luar wilayah kewenangan Anda / Outside your subtree"


class NotHolder(Forbidden):
    slug = "not-holder"
    title = "Laporan tidak dipegang instansi Anda / Your agency does not hold this report"


class ReadOnly(Forbidden):
    slug = "read-only"
    title = "Akses hanya baca / Read-only access"


class NotCoordinator(Forbidden):
    slug = "not-coordinator"
    title = "Hanya admin koordinator / Coordinator admins only"


class WrongState(Conflict):
    slug = "wrong-state"
    title = "Tidak dapat dilakukan pada status laporan ini / Not possible in the report's status"


class DuplicateSubmission(Conflict):
    slug = "duplicate-submission"
    title = "Sudah dikirim sebelumnya / Already submitted"


class ConcurrentChange(Conflict):
    slug = "concurrent-change"
    title = "Laporan baru saja berubah; muat ulang / The report just changed; reload it"
