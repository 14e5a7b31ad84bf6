"""The one currency the money KPIs are in, and how the dashboards show it.

The data contract has one currency throughout; which one is the dbt var `currency` in dbt_project.yml (an ISO 4217
code, USD unless you set it), read here when the bundle is generated. Titles and labels name the code ("Support cost
per month (EUR)"); values carry the symbol Superset's locale gives the code ("€12,400", "$477k" on an axis).
"""

from __future__ import annotations

from functools import cache

from support_kpis.dbt_vars import CHECKS, defaults
from support_kpis.errors import UserError

DEFAULT_CURRENCY = "USD"
# Whole units: at a glance cents are noise ("477,050.06" read as seven digits); kpi_values keeps the exact value.
TILE_FORMAT = ",.0f"
# Axes and tooltips: "$477k", "$1.2M", "$23.4".
AXIS_FORMAT = "SMART_NUMBER"


@cache
def currency_code() -> str:
    """The project's `currency` var, checked as every var is before dbt starts."""
    code = defaults().get("currency") or DEFAULT_CURRENCY
    problem = CHECKS["currency"](code)
    if problem:
        raise UserError(f"dbt_project.yml: vars.currency = {code!r}: {problem}")
    return str(code)


def currency_format() -> dict[str, str]:
    """Superset's chart option for money: the code's symbol before the number (Superset 4.1, 5.0 and 6.1)."""
    return {"symbol": currency_code(), "symbolPosition": "prefix"}
