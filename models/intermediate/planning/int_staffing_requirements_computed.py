"""Agents needed per channel, forecast day and hour: the day's forecast split by the channel's intraday profile,
each hour staffed by Erlang C for its handle time and service target (support_kpis.planning.tables)."""

from typing import Any

import pandas as pd

from support_kpis.planning.tables import staffing_table


def model(dbt: Any, session: Any) -> pd.DataFrame:
    return staffing_table(
        dbt.ref("int_ticket_arrivals_forecasted").df(),
        dbt.ref("int_ticket_arrivals_hourly_counted").df(),
        dbt.ref("int_channel_workloads_summarized").df(),
        shrinkage_pct=float(dbt.config.get("staffing_shrinkage_pct")),
    )
