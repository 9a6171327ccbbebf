"""Spaces from a spreadsheet, matched by code; zones and whole spaces named by code."""

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import Space, User, Zone
from app.services.errors import RuleViolation
from app.services.importing import columns as cols
from app.services.importing.kinds import ImportKind, Plan, differences, length
from app.services.spaces import save_space
from app.web.labels import KIND_LABELS

MAX_AREA_M2 = 100_000
MAX_SEATS = 10_000


class SpaceImport(ImportKind):
    name = "spaces"
    title = _l("Spaces")
    sheet_title = "空间"
    matching = _l("A row updates the space with its code.")
    field_columns = {"zone_id": "zone", "parent_id": "parent"}

    def build_columns(self) -> list[cols.Column]:
        kind, kinds = cols.labelled(KIND_LABELS)
        return [
            cols.Column(
                "code",
                "空间编号",
                ("Code", "编号", "space code"),
                cols.text(length(Space.code)),
                required=True,
                example="INC-999",
                text_format=True,
                hint=_l("Unique; rows are matched to stored spaces by it."),
            ),
            cols.Column(
                "zone",
                "区域",
                ("Zone", "区域编号"),
                cols.text(20),
                required=True,
                example="INC",
                hint=_l("The zone's code (e.g. INC) or its name."),
            ),
            cols.Column(
                "name",
                "名称",
                ("Name", "Name (Chinese)", "中文名称"),
                cols.text(length(Space.name)),
                required=True,
                example="孵化办公室 999",
            ),
            cols.Column(
                "name_en",
                "英文名称",
                ("Name (English)", "English name"),
                cols.text(length(Space.name_en)),
                example="Incubation Office 999",
            ),
            cols.Column(
                "kind",
                "类型",
                ("Kind",),
                kind,
                required=True,
                example=kinds[0],
                choices=kinds,
                hint=_l("One of the kinds in the drop-down."),
            ),
            cols.Column(
                "area_m2",
                "面积（m²）",
                ("Area", "Area (m²)", "面积"),
                cols.number(0, MAX_AREA_M2),
                example=60,
            ),
            cols.Column(
                "capacity",
                "座位数",
                ("Seats", "capacity"),
                cols.number(0, MAX_SEATS, whole=True),
                example=0,
            ),
            cols.Column(
                "equipment",
                "设备",
                ("Equipment",),
                cols.word_list,
                hint=_l("Separated by 、 or commas."),
            ),
            cols.Column(
                "bookable",
                "可预订",
                ("Bookable",),
                cols.yes_no,
                example="否",
                choices=("是", "否"),
                hint=_l(
                    "是 for rooms, halls and tables; offices, desks, booths and shops are leased."
                ),
            ),
            cols.Column(
                "requires_approval",
                "需审批",
                ("Needs approval", "requires approval"),
                cols.yes_no,
                example="否",
                choices=("是", "否"),
            ),
            cols.Column(
                "active",
                "在用",
                ("In use", "active"),
                cols.yes_no,
                example="是",
                choices=("是", "否"),
                hint=_l("Empty means in use."),
            ),
            cols.Column(
                "parent",
                "所属空间",
                ("Part of", "parent"),
                cols.text(length(Space.code)),
                hint=_l("The code of the whole space this one is part of, if any."),
            ),
        ]

    def identity(self, values: dict[str, Any]) -> Any:
        return values["code"].strip().upper()

    def prepare(self) -> None:
        zones = list(db.session.scalars(sa.select(Zone)))
        self.zones = {z.code.upper(): z for z in zones} | {z.name: z for z in zones}
        self.by_code = {s.code.upper(): s for s in db.session.scalars(sa.select(Space))}

    def _lookups(self, values: dict[str, Any], found: Space | None) -> dict[str, Any]:
        """Zone and parent as objects: named by the row, else kept as stored."""
        objects: dict[str, Any] = {}
        zone_text = values.pop("zone", None)
        if zone_text is not None:
            zone = self.zones.get(zone_text.upper()) or self.zones.get(zone_text)
            if zone is None:
                raise RuleViolation("zone", _l("No zone is called %(zone)s.", zone=zone_text))
            objects["zone"] = zone
        elif found is not None:
            objects["zone"] = found.zone
        if "parent" in values:
            parent_code = (values.pop("parent") or "").upper()
            parent = self.by_code.get(parent_code) if parent_code else None
            if parent_code and parent is None:
                raise RuleViolation(
                    "parent", _l("No space has the code %(code)s.", code=parent_code)
                )
            objects["parent"] = parent
        elif found is not None:
            objects["parent"] = found.parent
        return objects

    def apply(self, actor: User | None, values: dict[str, Any]) -> Plan:
        code = values["code"] = values["code"].strip().upper()
        found = self.by_code.get(code)
        objects = self._lookups(values, found)
        for key in ("bookable", "requires_approval", "active", "area_m2", "capacity"):
            if key in values and values[key] is None:
                del values[key]  # an empty cell keeps what is stored (or the default)
        if found is None:
            values.setdefault("active", True)
            space = save_space(actor, None, **objects, **values)
            self.by_code[space.code] = space
            return Plan("create", code)
        stored = {key: getattr(found, key) for key in values} | {
            key: getattr(found, key) for key in objects
        }
        changes = differences(stored, values | objects)
        if not changes:
            return Plan("unchanged", code)
        save_space(actor, found, **objects, **values)
        return Plan("update", code, {k: _shown(old, new) for k, (old, new) in changes.items()})


def _shown(old: Any, new: Any) -> tuple[Any, Any]:
    """Zones and spaces by their codes in a list of changes."""
    return getattr(old, "code", old), getattr(new, "code", new)
