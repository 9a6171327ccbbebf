"""``flask notifications send``: produce due reminders and lease notices, then send queued mail.

Run it every minute with ``--once`` from a systemd timer or cron, or leave it running without.
"""

import logging
import time
from dataclasses import dataclass

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.models import MailStatus
from app.services import mailer, reminders
from app.services.localtime import to_local
from app.sqlite import IMMEDIATE
from app.sqltypes import utcnow

logger = logging.getLogger(__name__)

notifications = AppGroup("notifications", help="Reminders, lease notices and notification mail.")


@dataclass
class Round:
    reminders: int = 0
    lease_notices: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    broken: bool = False

    def summary(self) -> str:
        return (
            f"{self.reminders} reminders, {self.lease_notices} lease notices; mail: "
            f"{self.sent} sent, {self.retrying} to retry, {self.failed} given up."
        )


def _begin_write() -> None:
    # Outside a request SQLite would start a read transaction and could fail to upgrade it.
    db.session.connection(execution_options={IMMEDIATE: True})


def _produce(done: Round) -> None:
    try:
        _begin_write()
        now = utcnow()
        done.reminders = reminders.produce_reminders(db.session, now)
        done.lease_notices = reminders.produce_lease_notices(db.session, to_local(now).date(), now)
        db.session.commit()
    except Exception:
        db.session.rollback()
        logger.exception("Could not produce reminders and lease notices")
        done.broken = True


def _send(done: Round) -> None:
    _begin_write()
    envelopes = mailer.claim_due(db.session, utcnow())
    db.session.commit()
    outcomes = mailer.deliver(current_app.config, envelopes)
    if not outcomes:
        return
    _begin_write()
    now = utcnow()
    for outcome in outcomes:
        mail = mailer.record(db.session, outcome, now)
        if mail is None:
            continue
        if outcome.error is None:
            done.sent += 1
        elif mail.status == MailStatus.FAILED:
            done.failed += 1
            logger.error("Gave up mailing %s: %s", mail.to_address, outcome.error)
        else:
            done.retrying += 1
    db.session.commit()


def run_round() -> Round:
    """One pass: notices first, so this round's mail includes them."""
    done = Round()
    _produce(done)
    try:
        _send(done)
    except Exception:
        db.session.rollback()
        logger.exception("Could not send the queued mail")
        done.broken = True
    return done


@notifications.command("send")
@click.option("--once", is_flag=True, help="One pass, then exit (for a timer or cron).")
@click.option("--interval", default=60, show_default=True, help="Seconds between passes.")
def send_command(once: bool, interval: int) -> None:
    """Produce due reminders and lease notices, then send the queued mail."""
    while True:
        done = run_round()
        click.echo(done.summary())
        if once:
            if done.broken:
                raise SystemExit(1)
            return
        db.session.remove()
        time.sleep(interval)
