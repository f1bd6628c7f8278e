"""Errors a user can fix: each carries one sentence saying what happened and what to do."""


class UserError(Exception):
    """An error whose message is meant for the person using the program."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UnusableInput(UserError):
    """A file or argument that cannot be used at all; nothing was changed."""

    exit_code = 2


class PermissionDenied(UserError):
    """The signed-in user may not do this."""


class NotFound(UserError):
    """The thing asked for does not exist."""
