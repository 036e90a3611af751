"""Telling an analyst that a run failed: a line in a log file beside the warehouse, and an
email when SMTP settings are given. Plain functions so they are tested without Dagster."""

from __future__ import annotations

import os
import smtplib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    username: str | None = None
    password: str | None = None
    use_tls: bool = False

    @classmethod
    def from_environment(cls) -> SmtpSettings | None:
        """WELLBEING_SMTP_HOST, _PORT, _FROM, _TO (comma separated), _USER, _PASSWORD, _TLS.

        None when no host or recipient is set: email is optional, the log file is not.
        """
        host = os.environ.get("WELLBEING_SMTP_HOST")
        recipients = os.environ.get("WELLBEING_SMTP_TO", "")
        if not host or not recipients:
            return None
        return cls(
            host=host,
            port=int(os.environ.get("WELLBEING_SMTP_PORT", "25")),
            sender=os.environ.get("WELLBEING_SMTP_FROM", "wellbeing-warehouse@localhost"),
            recipients=tuple(r.strip() for r in recipients.split(",") if r.strip()),
            username=os.environ.get("WELLBEING_SMTP_USER"),
            password=os.environ.get("WELLBEING_SMTP_PASSWORD"),
            use_tls=os.environ.get("WELLBEING_SMTP_TLS", "").lower() in {"1", "true", "yes"},
        )


def record_failure(log_file: Path, job_name: str, run_id: str, message: str) -> str:
    """Append one line per failed run; return the line written."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    line = f"{when}\t{job_name}\t{run_id}\t{' '.join(message.split())}"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    return line


def send_failure_email(smtp: SmtpSettings, job_name: str, run_id: str, message: str) -> None:
    email = EmailMessage()
    email["Subject"] = f"Wellbeing warehouse: run of {job_name} failed"
    email["From"] = smtp.sender
    email["To"] = ", ".join(smtp.recipients)
    email.set_content(
        f"The run {run_id} of {job_name} failed.\n\n{message}\n\n"
        "The previous publication is still in place. Open the Dagster UI for details."
    )
    with smtplib.SMTP(smtp.host, smtp.port, timeout=30) as client:
        if smtp.use_tls:
            client.starttls()
        if smtp.username:
            client.login(smtp.username, smtp.password or "")
        client.send_message(email)
