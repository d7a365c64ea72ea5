"""The project's exception hierarchy: one root, permanent vs. transient."""


class EinvoiceError(Exception):
    """Root of every error the project raises on purpose."""


class PermanentError(EinvoiceError):
    """Retrying will not help (bad input, wrong configuration)."""


class TransientError(EinvoiceError):
    """Retrying later may help (a service was unreachable)."""


class ConfigurationError(PermanentError):
    """Settings are missing or invalid."""


class RuleArtefactError(PermanentError):
    """An official rule artefact (XSD, XSLT) could not be found or compiled."""
