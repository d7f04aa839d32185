"""Every error RealReview raises on purpose, in one tree.

```
ReviewError                 anything a user can cause and fix; the CLI prints it as one line, exit 1
 ├── InputError             a file we were asked to read is unusable
 │    ├── FileTooLargeError the file exceeds the configured import size limit
 │    ├── EmptyFileError    the file holds no bytes (or only whitespace)
 │    ├── EncodingError     the bytes are not text in the expected encoding
 │    ├── UnknownFormatError the text is not an export format we know
 │    ├── ParseError        a known format, but broken beyond what we can keep (names line/record)
 │    ├── EncryptedDocumentError a PDF that needs a password to be read
 │    └── NoTextLayerError  a PDF of scanned pages without a text layer (no OCR yet)
 ├── DuplicateImportError   the same file (by SHA-256) was already imported into the review
 ├── NotFoundError          a review, search or record id that does not exist
 ├── ValidationError        a value the user typed is not acceptable (a date, a hit count)
 ├── ForbiddenError         a member of the review whose role does not allow the act (a viewer writing)
 ├── DatabaseUnavailableError the database URL cannot be opened (server down, bad path)
 └── SchemaBehindError      the database's schema is older than this version (run realreview db upgrade)
```

Each message names the file, line or record and the problem, so that it can be shown as is.
"""

from __future__ import annotations

__all__ = [
    "DatabaseUnavailableError",
    "DuplicateImportError",
    "EmptyFileError",
    "EncodingError",
    "EncryptedDocumentError",
    "FileTooLargeError",
    "ForbiddenError",
    "InputError",
    "NoTextLayerError",
    "NotFoundError",
    "ParseError",
    "ReviewError",
    "SchemaBehindError",
    "UnknownFormatError",
    "ValidationError",
]


class ReviewError(Exception):
    """Base of every error a user can cause; its message is shown to them verbatim."""


class InputError(ReviewError):
    """A file given to RealReview cannot be used."""


class FileTooLargeError(InputError):
    """The file is larger than the configured import limit."""


class EmptyFileError(InputError):
    """The file is empty."""


class EncodingError(InputError):
    """The file's bytes cannot be decoded as text."""


class UnknownFormatError(InputError):
    """The file's text matches none of the export formats RealReview reads."""


class ParseError(InputError):
    """The file is in a known format but is broken at a given place."""


class EncryptedDocumentError(InputError):
    """The PDF is protected by a password, so its text cannot be read."""


class NoTextLayerError(InputError):
    """The PDF has pages but no text layer (a scan); RealReview does no OCR yet."""


class DuplicateImportError(ReviewError):
    """The same file was already imported into this review."""


class NotFoundError(ReviewError):
    """An id given by the user does not exist."""


class ValidationError(ReviewError):
    """A value given by the user is not acceptable."""


class ForbiddenError(ReviewError):
    """The user is a member of the review, but their role does not allow this act.

    Someone who is not a member gets :class:`NotFoundError` instead: they must not learn that the
    review, or a record in it, exists.
    """


class DatabaseUnavailableError(ReviewError):
    """The database named by the URL cannot be reached or opened."""


class SchemaBehindError(ReviewError):
    """The database's schema is older than this version of RealReview and was not upgraded."""
