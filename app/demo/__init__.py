"""The demo incubator: ``flask seed-demo`` fills an empty database with a plausible building."""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from datetime import time as dtime

import sqlalchemy as sa
from stdnum.cn import uscc

from app.demo.bookings import seed_bookings
from app.demo.data import (
    ADMIN,
    COMPANY_GROUPS,
    DEMO_TENANT,
    DESCRIPTIONS,
    ENDING_SOON,
    GIVEN_NAMES,
    HALL_ZONES,
    HALVES,
    MANAGER,
    OPENED,
    REGIONS,
    SEED,
    SPACE_SERIES,
    SURNAMES,
    TENANT_PASSWORD,
    USCC_ALPHABET,
    ZONES,
)
from app.extensions import Base, db
from app.models import (
    Booking,
    Company,
    CompanyStatus,
    Lease,
    Role,
    Space,
    SpaceKind,
    Stage,
    User,
    Zone,
)
from app.services import events
from app.services.passwords import hash_password


@dataclass
class SeedReport:
    """What the database holds after seeding, and whether this run loaded it."""

    loaded: bool
    zones: int
    spaces: dict[str, int]
    companies: dict[str, int]
    leases: int
    bookings: int
    users: int
    leased_share: float


@dataclass
class Tenant:
    """A demo company with what the lease and user builders need to know about it."""

    company: Company
    slug: str
    zone: str
    units: int


def _between(rng: random.Random, first: date, last: date) -> date:
    """A random day in [first, last]; ``first`` when the range is empty."""
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _years_after(day: date, years: int) -> date:
    """The last day of a term of ``years`` years starting on ``day``."""
    try:
        anniversary = day.replace(year=day.year + years)
    except ValueError:  # 29 February
        anniversary = day.replace(year=day.year + years, day=28)
    return anniversary - timedelta(days=1)


def _uscc(rng: random.Random, taken: set[str]) -> str:
    """A fresh, valid Unified Social Credit Code of a Leshan company (GB 32100-2015)."""
    while True:
        # Codes issued since 2015 hold an "MA…" organisation code with its own GB 11714 check.
        body = "MA62" + "".join(rng.choice(USCC_ALPHABET) for _ in range(4))
        weights = (3, 7, 9, 10, 5, 8, 4, 2)
        check = 11 - sum(int(c, 36) * w for c, w in zip(body, weights, strict=True)) % 11
        code17 = "91" + rng.choice(REGIONS) + body + {10: "X", 11: "0"}.get(check, str(check))
        code = code17 + uscc.calc_check_digit(code17)
        assert uscc.is_valid(code), code
        if code not in taken:
            taken.add(code)
            return code


def _person(rng: random.Random) -> tuple[str, str]:
    """A Chinese name and its pinyin e-mail local part, e.g. ("张伟", "zhang.wei")."""
    surname, surname_py = rng.choice(SURNAMES.split()).split(":")
    given, given_py = rng.choice(GIVEN_NAMES.split()).split(":")
    return surname + given, f"{surname_py}.{given_py}"


def _phone(rng: random.Random) -> str:
    """A fictitious mainland mobile number."""
    prefix = rng.choice(("133", "135", "138", "139", "150", "158", "177", "180", "186", "189"))
    return f"{prefix}{rng.randint(0, 99_999_999):08d}"


def _zones() -> dict[str, Zone]:
    """The eleven zones, in the order of INCUBATOR.md."""
    zones: dict[str, Zone] = {}
    for order, (code, name, name_en, area) in enumerate(ZONES, start=1):
        zones[code] = Zone(code=code, name=name, name_en=name_en, area_m2=area, sort_order=order)
        zones[code].description = DESCRIPTIONS[code]
        if code in HALL_ZONES:
            zones[code].opens_at, zones[code].closes_at = dtime(8, 30), dtime(21, 0)
            zones[code].working_days_only = True
    return zones


def _spaces(zones: dict[str, Zone]) -> dict[str, list[Space]]:
    """All spaces by zone code, from SPACE_SERIES."""
    found: dict[str, list[Space]] = {code: [] for code in zones}
    for zone_code, numbers, name, name_en, kind, areas, seats, kit, approval in SPACE_SERIES:
        for i, number in enumerate(numbers):
            area = areas[i % len(areas)]
            capacity = seats[i % len(seats)] if seats else int(area // 8)
            labels = {"n": number, "seats": capacity}
            space = Space(zone=zones[zone_code], code=f"{zone_code}-{number}", kind=SpaceKind(kind))
            space.name, space.name_en = name.format(**labels), name_en.format(**labels)
            space.area_m2, space.capacity, space.equipment = area, capacity, kit.split()
            space.bookable, space.requires_approval = not space.kind.leasable, approval
            found[zone_code].append(space)
    by_code = {space.code: space for spaces in found.values() for space in spaces}
    for part, whole in HALVES.items():
        by_code[part].parent = by_code[whole]
    return found


def _companies(rng: random.Random, today: date, opened: date) -> list[Tenant]:
    """About sixty companies and teams at every stage, each with a contact person."""
    codes: set[str] = set()
    tenants = []
    for table, stage, settled_days, zone, units in COMPANY_GROUPS:
        words = iter(table.split())
        for index, (name, slug, industry) in enumerate(zip(words, words, words, strict=True)):
            contact, local = _person(rng)
            company = Company(name=name, stage=stage, industry=industry, contact_name=contact)
            company.contact_phone, company.contact_email = _phone(rng), f"{local}@{slug}.example.cn"
            if stage != Stage.TEAM or rng.random() < 0.25:
                company.uscc = _uscc(rng, codes)
            if stage == Stage.GRADUATED:
                company.joined_on = _between(rng, opened, opened + timedelta(days=120))
                earliest = company.joined_on + timedelta(days=300)
                graduated = _between(rng, earliest, today - timedelta(days=60))
                company.graduated_on = max(min(graduated, today), company.joined_on)
                if index >= 4:
                    company.status = CompanyStatus.LEFT
            else:
                company.joined_on = _between(rng, opened, today - timedelta(days=settled_days))
            tenants.append(Tenant(company, slug, zone, units[index % len(units)]))
    return tenants


def _leases(
    rng: random.Random, today: date, tenants: list[Tenant], spaces: dict[str, list[Space]]
) -> list[Lease]:
    """Leases filling about 85 % of the leasable area today, with some history."""
    leases: list[Lease] = []
    free: dict[str, date] = {}  # the first day each space may be leased again
    executive_offices = [s for s in spaces["BIZ"] if s.kind == SpaceKind.OFFICE]

    def take(
        tenant: Tenant, pool: list[Space], count: int, start: date, end: date | None, notes: str
    ) -> int:
        ready = [s for s in pool if free.get(s.code, date.min) <= start]
        later = [s for s in pool if start < free.get(s.code, date.min) <= today]
        chosen = (ready + later)[:count]
        start = max([start, *(free.get(s.code, date.min) for s in chosen)])
        if not chosen or (end is not None and end < start):
            return 0
        for space in chosen:
            lease = Lease(company=tenant.company, space=space, starts_on=start, ends_on=end)
            lease.notes = notes
            leases.append(lease)
            free[space.code] = end + timedelta(days=1) if end else date.max
        return len(chosen)

    def term(start: date) -> date | None:
        years = rng.choice((None, None, None, 1, 2, 3))
        if years is None:
            return None
        while _years_after(start, years) <= today + timedelta(days=30):
            years += 1  # renewed: only the chosen few below run out soon
        return _years_after(start, years)

    for index, tenant in enumerate(t for t in tenants if t.company.stage == Stage.GRADUATED):
        company = tenant.company
        assert company.graduated_on is not None
        if company.status == CompanyStatus.LEFT:
            moved_out = company.graduated_on + timedelta(days=rng.randint(0, 45))
            moved_out = max(min(moved_out, today - timedelta(days=1)), company.joined_on)
            take(tenant, spaces["ACC"], 1, company.joined_on, moved_out, "毕业后迁出孵化器")
        else:
            moved = company.graduated_on + timedelta(days=1)
            notes = "毕业后迁至精英商务中心"
            take(tenant, spaces["ACC"], 1, company.joined_on, company.graduated_on, notes)
            take(tenant, executive_offices, 1 + index % 2, moved, term(moved), "")
    for tenant in tenants:
        if not tenant.zone:
            continue
        start = _between(rng, tenant.company.joined_on, today)
        end: date | None
        if tenant.company.name in ENDING_SOON:
            end, notes = today + timedelta(days=rng.randint(7, 28)), "到期后不再续租"
        else:
            end, notes = term(start), ""
        if not take(tenant, spaces[tenant.zone], tenant.units, start, end, notes):
            take(tenant, executive_offices, 1, start, end, notes)
    return leases


def _users(rng: random.Random, tenants: list[Tenant]) -> list[User]:
    """The manager, the admin and one to three people per active company."""
    # argon2 is slow on purpose: hash each demo password once.
    passwords = {MANAGER[1], ADMIN[1], DEMO_TENANT[1], TENANT_PASSWORD}
    hashes = {password: hash_password(password) for password in passwords}
    users = [
        User(email=email, name=name, phone=_phone(rng), password_hash=hashes[password], role=role)
        for (email, password, name), role in ((MANAGER, Role.MANAGER), (ADMIN, Role.ADMIN))
    ]
    for tenant in tenants:
        company = tenant.company
        if company.status == CompanyStatus.LEFT:
            continue
        people = {company.contact_email: (company.contact_name, company.contact_phone)}
        for _extra in range(rng.randint(0, 2)):
            name, local = _person(rng)
            people.setdefault(f"{local}@{tenant.slug}.example.cn", (name, _phone(rng)))
        if company.name == DEMO_TENANT[2]:
            people[DEMO_TENANT[0]] = (_person(rng)[0], _phone(rng))
        for email, (name, phone) in people.items():
            password = DEMO_TENANT[1] if email == DEMO_TENANT[0] else TENANT_PASSWORD
            user = User(email=email, name=name, phone=phone, company=company, role=Role.TENANT)
            user.password_hash = hashes[password]
            user.locale = "en" if rng.random() < 0.15 else "zh_CN"  # partners and investors
            users.append(user)
    return users


def leased_share(today: date) -> float:
    """The share of the leasable floor area under a lease on ``today``."""
    leasable = Space.kind.in_([kind for kind in SpaceKind if kind.leasable])
    in_force = sa.select(Lease.space_id).where(
        Lease.starts_on <= today, sa.or_(Lease.ends_on.is_(None), Lease.ends_on >= today)
    )
    area = sa.select(sa.func.sum(Space.area_m2)).where(leasable)
    total = db.session.scalar(area) or 0
    leased = db.session.scalar(area.where(Space.id.in_(in_force))) or 0
    return leased / total if total else 0.0


def _report(today: date, loaded: bool) -> SeedReport:
    """Count what the database holds."""

    def count(model: type[Base]) -> int:
        return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0

    spaces = sa.select(Zone.code, sa.func.count(Space.id)).join(Space.zone).group_by(Zone.code)
    stages = sa.select(Company.stage, sa.func.count()).group_by(Company.stage)
    return SeedReport(
        loaded=loaded,
        zones=count(Zone),
        leases=count(Lease),
        bookings=count(Booking),
        users=count(User),
        spaces={code: n for code, n in db.session.execute(spaces)},
        companies={str(stage): n for stage, n in db.session.execute(stages)},
        leased_share=leased_share(today),
    )


def seed_demo(today: date) -> SeedReport:
    """Load the demo incubator as it stands on ``today``, unless zones or companies exist."""
    if db.session.scalar(sa.select(Zone.id).union_all(sa.select(Company.id)).limit(1)) is not None:
        return _report(today, loaded=False)
    rng = random.Random(SEED)
    # An early ``today`` (in tests) still gets a year and a half of history.
    opened = min(OPENED, today - timedelta(days=540))
    zones = _zones()
    spaces = _spaces(zones)
    db.session.add_all([*zones.values(), *(s for group in spaces.values() for s in group)])
    db.session.flush()
    tenants = _companies(rng, today, opened)
    db.session.add_all(t.company for t in tenants)
    db.session.flush()
    db.session.add_all(_leases(rng, today, tenants, spaces))
    db.session.add_all(_users(rng, tenants))
    db.session.flush()
    with events.muted():  # demo history is not news: no notices, no mail
        seed_bookings(rng, today)
    return _report(today, loaded=True)
