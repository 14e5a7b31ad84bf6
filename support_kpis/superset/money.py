"""The one currency the money KPIs are in, and how the dashboards show it.

The data contract has one currency throughout; which one is the dbt var `currency` in dbt_project.yml (an ISO 4217
code, USD unless you set it), read here when the bundle is generated. Titles and labels name the code ("Support cost
per month (EUR)"); values carry the symbol Superset's locale gives the code ("€12,400", "$477k" on an axis).
"""

from __future__ import annotations

import re
from functools import cache

import yaml

from support_kpis.errors import UserError
from support_kpis.settings import PROJECT_ROOT

DEFAULT_CURRENCY = "USD"
# Whole units: at a glance cents are noise ("477,050.06" read as seven digits); kpi_values keeps the exact value.
TILE_FORMAT = ",.0f"
# Axes and tooltips: "$477k", "$1.2M", "$23.4".
AXIS_FORMAT = "SMART_NUMBER"


@cache
def currency_code() -> str:
    document = yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
    code = str((document.get("vars") or {}).get("currency") or DEFAULT_CURRENCY)
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise UserError(f"dbt_project.yml: vars.currency is {code!r}; give an ISO 4217 code such as USD or EUR")
    return code


def currency_format() -> dict[str, str]:
    """Superset's chart option for money: the code's symbol before the number (Superset 4.1, 5.0 and 6.1)."""
    return {"symbol": currency_code(), "symbolPosition": "prefix"}
