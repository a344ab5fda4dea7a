"""Intake's own HTTP problems, beside the common ones in shared.web."""

from shared.problems import Problem


class Unauthorized(Problem):
    status = 401
    slug = "unauthorized"
    title = "Perlu masuk terlebih dahulu / Authentication required"


class Forbidden(Problem):
    status = 403
    slug = "forbidden"
    title = "Tidak diizinkan / Not allowed"


class BadSignature(Problem):
    status = 401
    slug = "bad-signature"
    title = "Tanda tangan tidak ada atau tidak valid / Missing or invalid signature"


class PayloadTooLarge(Problem):
    status = 413
    slug = "payload-too-large"
    title = "Isi permintaan terlalu besar / Request body too large"


class UnsupportedMediaType(Problem):
    status = 415
    slug = "unsupported-media-type"
    title = "Jenis berkas tidak didukung / Unsupported media type"


class TooManyRequests(Problem):
    status = 429
    slug = "too-many-requests"
    title = "Terlalu banyak permintaan / Too many requests"


class WrongState(Problem):
    status = 409
    slug = "wrong-state"
    title = "Tidak dapat dilakukan pada status laporan ini / Not possible in the report's status"


class IdempotencyKeyReused(Problem):
    """The IETF Idempotency-Key draft: the same key with another payload is a client error."""

    status = 422
    slug = "idempotency-key-reused"
    title = (
        "Idempotency-Key sudah dipakai untuk permintaan lain / "
        "The Idempotency-Key was used for another request"
    )
