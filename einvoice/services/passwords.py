"""Password rules: length, not the user name or e-mail, a strength estimate (zxcvbn)."""

from __future__ import annotations

from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 256
MIN_SCORE = 3  # zxcvbn: 0 (guessable) ... 4 (very unguessable); 3 = "safely unguessable"
_ESTIMATE_CHARS = 100  # zxcvbn's cost grows with length; the first 100 characters suffice


def problem(
    password: str, *, username: str = "", email: str = "", names: tuple[str, ...] = ()
) -> str | None:
    """None if the password is acceptable, else the reason in German for the form."""
    if len(password) < MIN_LENGTH:
        return f"Das Passwort muss mindestens {MIN_LENGTH} Zeichen lang sein."
    if len(password) > MAX_LENGTH:
        return f"Das Passwort darf höchstens {MAX_LENGTH} Zeichen lang sein."
    lowered = password.lower()
    personal = [v.strip().lower() for v in (username, email, email.partition("@")[0], *names)]
    personal = [v for v in personal if len(v) >= 4]
    if any(v in lowered for v in personal):
        return (
            "Das Passwort darf den Benutzernamen, die E-Mail-Adresse oder den Namen "
            "nicht enthalten."
        )
    result = zxcvbn(password[:_ESTIMATE_CHARS], user_inputs=personal)
    if int(result["score"]) < MIN_SCORE:
        return (
            "Das Passwort ist zu leicht zu erraten. Bitte ein längeres Passwort wählen, "
            "z. B. aus mehreren nicht zusammenhängenden Wörtern."
        )
    return None
