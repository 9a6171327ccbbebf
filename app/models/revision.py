"""The revision of the building's reference data (see app.services.reference)."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Base


class ReferenceRevision(Base):
    """One row: a new random token whenever zones, spaces, closures, policy or days change."""

    __tablename__ = "reference_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(32))
