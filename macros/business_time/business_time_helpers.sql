{#- Engine-specific building blocks of the business clock. Each dispatches, so
    an adapter other than DuckDB or Postgres overrides only what differs. -#}

{#- Wall-clock time of a UTC instant in a time zone held by a column (the
    project's to_local_timestamp() takes a literal zone name only). -#}
{% macro business_time_local_timestamp(utc_timestamp, timezone_expression) -%}
    {{ return(adapter.dispatch('business_time_local_timestamp', 'support_kpis')(utc_timestamp, timezone_expression)) }}
{%- endmacro %}

{% macro default__business_time_local_timestamp(utc_timestamp, timezone_expression) -%}
    ((({{ utc_timestamp }}) at time zone 'UTC') at time zone {{ timezone_expression }})
{%- endmacro %}

{% macro spark__business_time_local_timestamp(utc_timestamp, timezone_expression) -%}
    from_utc_timestamp({{ utc_timestamp }}, {{ timezone_expression }})
{%- endmacro %}


{#- ISO day of week of a date: 1 = Monday ... 7 = Sunday. -#}
{% macro business_time_iso_day_of_week(date_expression) -%}
    {{ return(adapter.dispatch('business_time_iso_day_of_week', 'support_kpis')(date_expression)) }}
{%- endmacro %}

{% macro default__business_time_iso_day_of_week(date_expression) -%}
    cast(extract(isodow from {{ date_expression }}) as {{ dbt.type_int() }})
{%- endmacro %}

{% macro spark__business_time_iso_day_of_week(date_expression) -%}
    ((dayofweek({{ date_expression }}) + 5) % 7 + 1)
{%- endmacro %}


{#- A query with one column, `timezone_name`: the IANA zones the engine can
    convert to. Schedules naming another zone get no clock. -#}
{% macro business_time_known_timezones() -%}
    {{ return(adapter.dispatch('business_time_known_timezones', 'support_kpis')()) }}
{%- endmacro %}

{% macro default__business_time_known_timezones() -%}
    select name as timezone_name from pg_timezone_names
{%- endmacro %}

{% macro duckdb__business_time_known_timezones() -%}
    select name as timezone_name from pg_timezone_names()
{%- endmacro %}

{#- Spark SQL cannot list its zones (Java's tz database); the IANA names of the tz database dbt ships (pytz) are
    the same set, and an unknown name must not reach from_utc_timestamp, which would fail the query. -#}
{% macro spark__business_time_known_timezones() -%}
    select explode(array('{{ modules.pytz.all_timezones | join("', '") }}')) as timezone_name
{%- endmacro %}


{#- A join clause adding column `<alias>.<column_name>` holding every integer
    from lower_bound to upper_bound (both included, expressions of the row). -#}
{% macro business_time_integer_series_join(lower_bound, upper_bound, alias, column_name) -%}
    {{ return(adapter.dispatch('business_time_integer_series_join', 'support_kpis')(lower_bound, upper_bound, alias, column_name)) }}
{%- endmacro %}

{% macro default__business_time_integer_series_join(lower_bound, upper_bound, alias, column_name) -%}
    cross join lateral generate_series(
        cast({{ lower_bound }} as {{ dbt.type_bigint() }}),
        cast({{ upper_bound }} as {{ dbt.type_bigint() }})
    ) as {{ alias }}({{ column_name }})
{%- endmacro %}

{% macro spark__business_time_integer_series_join(lower_bound, upper_bound, alias, column_name) -%}
    lateral view explode(sequence(cast({{ lower_bound }} as bigint), cast({{ upper_bound }} as bigint))) {{ alias }} as {{ column_name }}
{%- endmacro %}


{#- Seconds since local midnight of an 'HH:MM' or 'HH:MM:SS' text ('24:00'
    allowed); null when the text is not such a time. -#}
{% macro business_time_seconds_of_day(time_text) -%}
    {%- set hour_part = dbt.safe_cast(dbt.split_part("trim(" ~ time_text ~ ")", "':'", 1), dbt.type_int()) -%}
    {%- set minute_part = dbt.safe_cast(dbt.split_part("trim(" ~ time_text ~ ")", "':'", 2), dbt.type_int()) -%}
    {%- set second_text = "nullif(" ~ dbt.split_part("trim(" ~ time_text ~ ")", "':'", 3) ~ ", '')" -%}
    {%- set second_part = "(case when " ~ second_text ~ " is null then 0 else " ~ dbt.safe_cast(second_text, dbt.type_int()) ~ " end)" -%}
    case
        when {{ hour_part }} between 0 and 24
            and {{ minute_part }} between 0 and 59
            and {{ second_part }} between 0 and 59
            and {{ hour_part }} * 3600 + {{ minute_part }} * 60 + {{ second_part }} <= 86400
            then {{ hour_part }} * 3600 + {{ minute_part }} * 60 + {{ second_part }}
    end
{%- endmacro %}
