"""What the registry refuses, each as a problem+json type (RFC 9457) a client can act on."""

from shared.auth import Forbidden, Unauthenticated
from shared.problems import Conflict, InvalidInput, NotFound, Problem

__all__ = [
    "Conflict",
    "Cycle",
    "DuplicateCode",
    "DuplicateUsername",
    "Forbidden",
    "InvalidInput",
    "InvalidTransition",
    "JurisdictionOutsideParent",
    "NotFound",
    "NotPermitted",
    "OutOfSubtree",
    "OwnRegistration",
    "PasswordChangeRequired",
    "TemporaryPasswordExpired",
    "Problem",
    "Unauthenticated",
    "UnknownCategory",
    "UnknownParent",
    "UnknownRegion",
    "WrongPassword",
]


class OutOfSubtree(Forbidden):
    slug = "out-of-subtree"
    title = "Di luar wilayah kewenangan Anda / Outside your part of the hierarchy"


class NotPermitted(Forbidden):
    slug = "not-permitted"
    title = "Peran Anda tidak mengizinkan ini / Your role does not allow this"


class OwnRegistration(Forbidden):
    slug = "own-registration"
    title = "Pendaftaran harus diputus orang lain / Someone else must decide your registration"


class PasswordChangeRequired(Forbidden):
    slug = "password-change-required"
    title = "Ganti kata sandi sementara terlebih dahulu / Change the temporary password first"


class TemporaryPasswordExpired(Forbidden):
    slug = "temporary-password-expired"
    title = (
        "Kata sandi sementara sudah kedaluwarsa; minta admin Anda mengaturnya ulang"
        " / The temporary password has expired; ask your admin for a new one"
    )


class DuplicateCode(Conflict):
    slug = "duplicate-code"
    title = "Kode instansi sudah dipakai / Agency code already in use"


class DuplicateUsername(Conflict):
    slug = "duplicate-username"
    title = "Nama pengguna sudah dipakai / Username already in use"


class Cycle(Conflict):
    slug = "cycle"
    title = (
        "Instansi tidak boleh berada di bawah dirinya sendiri / An agency cannot sit below itself"
    )


class InvalidTransition(Conflict):
    slug = "invalid-transition"
    title = "Tidak bisa dari status ini / Not possible from this status"


class UnknownRegion(InvalidInput):
    slug = "unknown-region"
    title = "Kode wilayah tidak dikenal / Unknown region code"


class UnknownCategory(InvalidInput):
    slug = "unknown-category"
    title = "Kategori tidak dikenal / Unknown category"


class UnknownParent(InvalidInput):
    slug = "unknown-parent"
    title = "Instansi induk tidak ada / No such parent agency"


class JurisdictionOutsideParent(InvalidInput):
    slug = "jurisdiction-outside-parent"
    title = "Wilayah di luar wilayah instansi induk / Jurisdiction outside the parent's"


class WrongPassword(Unauthenticated):
    slug = "wrong-credentials"
    title = "Nama pengguna atau kata sandi salah / Wrong username or password"
