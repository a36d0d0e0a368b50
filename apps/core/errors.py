"""Base of domain errors: each carries a translated message meant for the person."""


class DomainError(Exception):
    message = ""

    def __init__(self, message: str | None = None):
        self.message = str(message if message is not None else self.message)
        super().__init__(self.message)

    def __str__(self):
        return self.message
